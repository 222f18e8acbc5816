"""Column types every convenience table uses: enums stored as checked strings, staff references."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column


def enum_column(cls: type[enum.Enum], name: str) -> Enum:
    # Strings with a CHECK constraint, never a native PostgreSQL ENUM (as core does).
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


def staff_fk(comment: str = "") -> Mapped[int | None]:
    """A nullable reference to the staff member who did something (kept if the account is removed)."""
    return mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment=comment or None)
