"""The core services the web layer builds on, reached through one module.

Scoping (``core.scoping``), the activity trail (``core.activity``), masking
(``core.security.masking``) and the workflow engine (``core.workflow``): every screen and API
route calls them through these names, so all apply the same record rules.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import activity, scoping
from core import workflow as engine
from core.security import masking


def scope(stmt, actor, model):
    """``stmt`` (select or Query) restricted to the rows of ``model`` that ``actor`` may see."""
    from core.web.context import db

    return scoping.scope(stmt, actor, model, session=db())


def get_scoped(session: Session, actor, model, ident, *, options=()):
    """The ``model`` row with primary key ``ident`` if ``actor`` may see it; else ``NotFound``."""
    return scoping.get_scoped(session, actor, model, ident, options=options)


def visible_estate_ids(session: Session, actor):
    return scoping.visible_estate_ids(session, actor)


def timeline(session: Session, model, ident) -> list[dict]:
    """A record's activity, newest first, as dicts ready to show (actor names resolved)."""
    from core.models import StaffUser

    entries = activity.timeline(session, model, ident)
    ids = {e.actor_id for e in entries if e.actor_id}
    names = {u.id: str(u) for u in session.scalars(select(StaffUser).where(StaffUser.id.in_(ids)))} if ids else {}
    out = []
    for e in reversed(entries):
        out.append({"at": e.at, "actor": names.get(e.actor_id, "") if e.actor_id else "", "action": e.action,
                    "detail": e.detail, "note": e.note, "changes": e.changes or {}})
    return out


def masked(session: Session, actor, value, kind: str):
    """``value`` as ``actor`` may see it: whole with ``core.parties.view_sensitive``, else masked."""
    if value in (None, ""):
        return value
    return masking.masked(session, actor, str(value), kind)


def allowed_transitions(session: Session, record, actor) -> list:
    return list(engine.allowed_transitions(session, record, actor))


def apply_transition(session: Session, record, name: str, actor, comment=None, **data):
    return engine.apply(session, record, name, actor, comment=comment, **data)
