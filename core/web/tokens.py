"""Personal API tokens (DESIGN 8): created by ``wuye tokens create``, stored hashed, checked per request.

A token is ``wuye_`` followed by 43 URL-safe characters; only its SHA-256 is stored, so a leaked
database does not leak working tokens. Plain functions taking a session (no Flask imported).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import NotFound, ValidationError
from core.models import StaffUser
from core.security.grants import actor_from_row, select_actor
from core.web.models import ApiToken

PREFIX = "wuye_"
# last_used_at is written at most this often, so busy clients do not write on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, username: str, *, name: str = "", expires_in_days: int | None = None
                 ) -> tuple[ApiToken, str]:
    """Create a token for staff user ``username``; returns the row and the clear token (shown once)."""
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        raise NotFound(f"no staff user named '{username}'; create one with `wuye users create`", field="username")
    if not user.active:
        raise ValidationError(f"staff user '{username}' is deactivated; reactivate it first", field="username")
    if len(name) > 100:
        raise ValidationError("the token name is longer than 100 characters", field="name")
    if expires_in_days is not None and expires_in_days < 1:
        raise ValidationError("expiry must be at least 1 day", field="expires_in_days")
    clear = PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    row = ApiToken(token_hash=hash_token(clear), user_id=user.id, name=name, expires_at=expires)
    session.add(row)
    session.flush()
    return row, clear


@functools.cache
def _by_hash():
    """The token, its user and the user's grants by token hash: built once, as it runs per request."""
    return (select_actor(ApiToken).join(ApiToken, ApiToken.user_id == StaffUser.id)
            .where(ApiToken.token_hash == bindparam("token_hash")))


def authenticate(session: Session, token: str) -> StaffUser | None:
    """The active staff user a token belongs to, or None when unknown, expired, revoked or inactive."""
    if not token or len(token) > 200:
        return None
    found = session.execute(_by_hash(), {"token_hash": hash_token(token)}).unique().first()
    if found is None:
        return None
    row, now = found[0], utcnow()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    user = actor_from_row(session, found)
    if not user.active:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
    return user


def revoke(session: Session, token_id: int) -> ApiToken:
    """Revoke a token by id; revoking twice keeps the first revocation time."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"no API token with id {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    session.flush()
    return row
