"""Tables of the web layer: personal API tokens and login attempts (no Flask imported).

They live with the other core models so that the host registers them without importing the web layer.

Both are core tables (``core_`` prefix), registered by ``core.builtin_hooks``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow
from core.models import StaffUser


class ApiToken(Base):
    """A personal API token (个人令牌). Only the SHA-256 of the token is stored; it is shown once."""

    __tablename__ = "core_api_tokens"
    __activity__ = False  # last-use updates would flood the trail; tokens are listed by `wuye tokens`

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, comment="sha256 hex of the token")
    user_id: Mapped[int] = mapped_column(ForeignKey("core_staff_users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="", comment="what the token is for")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(comment="updated at most once a minute")
    expires_at: Mapped[dt.datetime | None] = mapped_column(comment="null: never expires")
    revoked_at: Mapped[dt.datetime | None] = mapped_column(comment="set when revoked; the token stops working")

    user: Mapped[StaffUser] = relationship()

    def __str__(self) -> str:
        return self.name or f"token {self.id}"


class LoginAttempt(Base):
    """A failed staff login, kept briefly so the rate limit works across server processes."""

    __tablename__ = "core_login_attempts"
    __activity__ = False
    __table_args__ = (Index("ix_core_login_attempts_who", "username", "ip", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), comment="as typed, lower-cased")
    ip: Mapped[str] = mapped_column(String(64), default="")
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
