"""Numbered records (spec 1.4 item 1): per-estate, per-type, per-year sequences such as
``RN-2026-000123``, without gaps or duplicates under concurrency.

The counter row is incremented with ``UPDATE ... RETURNING``, which locks it (PostgreSQL: row lock;
SQLite serialises writers) until the caller's transaction ends, so a rolled-back transaction gives
its number back and no two transactions ever get the same one.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, bindparam, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base


class Sequence(Base):
    """The last number issued for one (estate, kind, year); ``estate_id`` null for company-wide numbers.

    SQL treats NULLs as distinct in a unique constraint, so company-wide counters (no estate) get
    their own partial unique index; without it two transactions could both create the first
    company-wide counter of a kind and issue the same number twice.
    """

    __tablename__ = "core_sequences"
    __table_args__ = (
        UniqueConstraint("estate_id", "kind", "year"),
        Index("uq_core_sequences_company_kind_year", "kind", "year", unique=True,
              postgresql_where=text("estate_id IS NULL"), sqlite_where=text("estate_id IS NULL")),
    )

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
    bump = _bump(estate_id is None)
    params = {"p_estate": estate_id, "p_kind": kind, "p_year": year}
    for _attempt in range(3):
        # UPDATE ... RETURNING takes the row lock and increments in one statement.
        value = session.execute(bump, params).scalar()
        if value is not None:
            return value
        try:
            with session.begin_nested():
                session.add(Sequence(estate_id=estate_id, kind=kind, year=year, last=1))
            return 1
        except IntegrityError:
            continue  # another transaction created it first; its row now exists: increment it
    raise RuntimeError(f"could not allocate a number for {kind}")  # pragma: no cover


@cache
def _bump(company_wide: bool):
    """The increment statement, built once (numbers are issued on every payment: building and
    caching a statement per call costs more than running it)."""
    t = Sequence.__table__
    owner = t.c.estate_id.is_(None) if company_wide else t.c.estate_id == bindparam("p_estate")
    return (update(t).where(owner, t.c.kind == bindparam("p_kind"), t.c.year == bindparam("p_year"))
            .values(last=t.c.last + 1).returning(t.c.last))


def peek(session: Session, kind: str, *, estate_id: int | None, year: int = 0) -> int:
    """The last number issued (0 if none), without issuing one."""
    key = (Sequence.estate_id.is_(None) if estate_id is None else Sequence.estate_id == estate_id,
           Sequence.kind == kind, Sequence.year == year)
    return session.scalar(select(Sequence.last).where(*key)) or 0
