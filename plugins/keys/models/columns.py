"""Column helpers every keys model uses, so the tables stay alike (and match the migrations)."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column


def enum_column(cls: type[enum.Enum], name: str) -> Enum:
    """An enum stored as its values (strings with a CHECK constraint), as core does.

    Never a native PostgreSQL ENUM: adding a member would then need a migration of the type.
    """
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


def staff_fk(comment: str = "") -> Mapped[int | None]:
    """A nullable reference to a staff member (who did or witnessed something)."""
    return mapped_column(ForeignKey("core_staff_users.id", ondelete="RESTRICT"), comment=comment or None)


def estate_fk() -> Mapped[int]:
    """The row's estate (denormalised and indexed, so core's estate scoping filters it directly)."""
    return mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
