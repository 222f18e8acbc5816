"""Numbered records (spec 1.4 item 1): per-estate, per-type, per-year sequences such as
``RN-2026-000123``, without gaps or duplicates under concurrency.

The counter row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers)
in the caller's transaction, so a rolled-back transaction gives its number back and no two
transactions ever get the same one.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base


class Sequence(Base):
    """The last number issued for one (estate, kind, year)."""

    __tablename__ = "core_sequences"
    __table_args__ = (UniqueConstraint("estate_id", "kind", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("core_estates.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32), comment="record type prefix, e.g. RN, RC, KL")
    year: Mapped[int] = mapped_column(comment="0 for sequences that never restart")
    last: Mapped[int] = mapped_column(default=0)


def next_number(session: Session, kind: str, *, estate_id: int | None, year: int = 0, width: int = 6) -> str:
    """Issue the next number: ``KIND-YEAR-000123`` (or ``KIND-000123`` when ``year`` is 0)."""
    n = next_value(session, kind, estate_id=estate_id, year=year)
    return f"{kind}-{year}-{n:0{width}d}" if year else f"{kind}-{n:0{width}d}"


def next_value(session: Session, kind: str, *, estate_id: int | None, year: int = 0) -> int:
    """Increment and return the counter for (estate, kind, year), creating it on first use."""
    key = (Sequence.estate_id.is_(None) if estate_id is None else Sequence.estate_id == estate_id,
           Sequence.kind == kind, Sequence.year == year)
    for _attempt in range(3):
        # UPDATE ... RETURNING takes the row lock and increments in one statement.
        value = session.execute(update(Sequence).where(*key).values(last=Sequence.last + 1)
                                .returning(Sequence.last)).scalar()
        if value is not None:
            return value
        try:
            with session.begin_nested():
                session.add(Sequence(estate_id=estate_id, kind=kind, year=year, last=1))
            return 1
        except IntegrityError:
            continue  # another transaction created it first; its row now exists: increment it
    raise RuntimeError(f"could not allocate a number for {kind}")  # pragma: no cover


def peek(session: Session, kind: str, *, estate_id: int | None, year: int = 0) -> int:
    """The last number issued (0 if none), without issuing one."""
    key = (Sequence.estate_id.is_(None) if estate_id is None else Sequence.estate_id == estate_id,
           Sequence.kind == kind, Sequence.year == year)
    return session.scalar(select(Sequence.last).where(*key)) or 0
