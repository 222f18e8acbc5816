"""Database foundations: the one declarative ``Base``, engines, sessions and money helpers.

Every table in Wuye, core's and every plugin's, is mapped on :class:`Base`, so a single
``MetaData`` with a naming convention gives constraints stable names on SQLite and PostgreSQL
(Alembic needs those names to drop or alter a constraint later).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import DateTime, Index, MetaData, create_engine, event, func
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from core import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored as UTC.

    SQLite has no time zones, so values come back naive; this type normalises writes to UTC and
    marks reads as UTC, so Python code only ever sees aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime (core.db.utcnow())")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """The declarative base for every Wuye model. Plugin tables start with the plugin's name."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}


utcnow = clock.utcnow  # the current time, aware, in UTC (what every timestamp column stores)


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine with the settings Wuye relies on.

    On SQLite, foreign keys are enforced and a busy timeout lets concurrent writers wait for
    the lock instead of failing at once.
    """
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            # Take transaction control away from the sqlite3 driver (it would otherwise open
            # transactions lazily, so a SAVEPOINT taken before the first write becomes the outer
            # transaction and its RELEASE commits the caller's work); SQLAlchemy emits BEGIN below.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # pragma: no cover - trivial
            # IMMEDIATE takes the write lock up front, so two writers queue (busy timeout) instead
            # of one failing with "database is locked" when it upgrades a read lock.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; objects stay usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


# ---------------------------------------------------------------------------------------------
# Money. Stored as integer fen (分); handled as Decimal yuan in Python; never a float.

FEN = Decimal("0.01")


def to_fen(amount: Decimal | int | str) -> int:
    """Convert an amount in yuan (``Decimal``, ``int`` or a string such as ``"12.345"``) to fen.

    Rounds half-up to the fen, as the manuals' receipts do. Floats are refused: they cannot
    represent most amounts exactly.
    """
    if isinstance(amount, float):
        raise TypeError("money must not be a float; pass a Decimal or a string")
    try:
        value = Decimal(amount)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_fen(value: Decimal) -> int:
    """Round an amount already expressed in fen (possibly fractional) half-up to whole fen."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fen_to_yuan(fen: int) -> Decimal:
    """Integer fen to a two-place ``Decimal`` in yuan, for display."""
    return (Decimal(fen) / 100).quantize(FEN)


def prefix_search_index(attribute) -> Index:
    """An index serving the admin search on ``attribute`` (``lower(col) LIKE 'term%'``).

    Declare it after the model class: ``prefix_search_index(Unit.room_no)``. On PostgreSQL it is an
    expression index with ``text_pattern_ops``, which serves a prefix ``LIKE`` in any database
    collation; SQLite gets the plain expression index (its planner does not use it for LIKE).
    """
    column = attribute.property.columns[0]
    label = f"{column.name}_lower"
    return Index(f"ix_{column.table.name}_{column.name}_prefix", func.lower(column).label(label),
                 postgresql_ops={label: "text_pattern_ops"})
