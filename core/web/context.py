"""Per-request state: the database session, the acting staff user and the Flask-Admin ``db`` shim.

One SQLAlchemy session per request, made by the app's session factory (``wuye.sessions`` unless a
test supplies its own): committed when the response is a success (< 400), rolled back otherwise
and always closed. ``session.info["actor"]`` is the acting user, for the activity trail.
"""

from __future__ import annotations

import functools
import hashlib

from flask import current_app, g, has_request_context
from flask import session as cookie
from flask_sqlalchemy_lite import SQLAlchemy
from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from core.context import run_kept
from core.models import StaffUser
from core.security.grants import actor_from_row, select_actor


def db() -> Session:
    """This request's session (opened on first use)."""
    s = g.get("_wuye_db")
    if s is None:
        s = current_app.extensions["wuye_sessions"]()
        s.info["actor"] = g.get("actor")
        g._wuye_db = s
    return s


# The names plugins use in their own Flask views and Blueprints (``from core import request_session``):
# the request's session, committed when the view returns normally and rolled back on an error, and
# the signed-in staff user (cookie or API token).
def request_session() -> Session:
    """This request's session, for a plugin's own view or Blueprint (the same one core's views use)."""
    return db()


def request_actor() -> StaffUser | None:
    """The staff user of this request (session cookie or API token), or None."""
    return actor()


def new_session() -> Session:
    """A separate session, for writes that must survive the request's rollback (login attempts)."""
    return current_app.extensions["wuye_sessions"]()


def wuye():
    return current_app.extensions["wuye"]


def actor() -> StaffUser | None:
    """The logged-in staff user (session cookie or API token), or None."""
    return g.get("actor") if has_request_context() else None


def set_actor(user: StaffUser | None) -> None:
    g.actor = user
    s = g.get("_wuye_db")
    if s is not None:
        s.info["actor"] = user


def session_stamp(user: StaffUser) -> str:
    """What a session cookie must carry (as ``pwv``) to stay valid: it changes with the password hash
    and with ``session_generation``, which logout and password changes bump, so a cookie issued
    before either (copied, or left in another browser) is refused from then on."""
    raw = f"{user.password_hash or ''}\x00{user.session_generation or 0}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def start_session(user: StaffUser) -> None:
    """Log ``user`` in on this browser: a fresh signed cookie carrying the id and the session stamp."""
    cookie.clear()
    cookie.permanent = True
    cookie["uid"] = user.id
    cookie["pwv"] = session_stamp(user)
    set_actor(user)


@functools.cache
def _actor_by_id():
    """The staff user with roles, estates and grants by id: built once, as it runs per request."""
    return select_actor().where(StaffUser.id == bindparam("uid"))


def load_session_actor() -> None:
    """Set ``g.actor`` from the signed session cookie (before each request).

    The cookie is refused (and cleared) when its user is gone or inactive, or when its stamp is not the
    user's current :func:`session_stamp`: after logout or a password change.
    """
    g.actor = None
    uid = cookie.get("uid")
    if not isinstance(uid, int):
        return
    found = db().execute(_actor_by_id(), {"uid": uid}).unique().first()
    user = actor_from_row(db(), found) if found is not None else None
    if user is None or not user.active or cookie.get("pwv") != session_stamp(user):
        cookie.clear()
        return
    set_actor(user)


def keep_changes() -> None:
    """Commit this request's changes even though the response will be an error (failed logins)."""
    g._wuye_keep = True


def finish(response):
    """Commit on success, roll back otherwise (after each request)."""
    s = g.get("_wuye_db")
    if s is not None and s.is_active:
        if response.status_code < 400 or g.get("_wuye_keep"):
            s.commit()
        else:
            s.rollback()
        if run_kept(s):  # what must stand whatever the outcome (counted password failures)
            s.commit()
    return response


def teardown(exc=None) -> None:
    s = g.pop("_wuye_db", None)
    if s is not None:
        try:
            if exc is not None:
                s.rollback()
        finally:
            s.close()


class RequestDB(SQLAlchemy):
    """What Flask-Admin 2 wants as ``db``: an object whose ``.session`` is this request's session."""

    def __init__(self):  # no engines: sessions come from the Wuye instance
        pass

    @property
    def session(self) -> Session | None:  # type: ignore[override]
        return db() if has_request_context() else None
