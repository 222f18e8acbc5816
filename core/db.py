"""Database foundations: the one declarative ``Base``, engines, sessions and money helpers.

Every table in Wuye, core's and every plugin's, is mapped on :class:`Base`, so a single
``MetaData`` with a naming convention gives constraints stable names on SQLite and PostgreSQL
(Alembic needs those names to drop or alter a constraint later).
"""

from __future__ import annotations

import datetime as dt
import operator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import DateTime, Index, MetaData, create_engine, event, func
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

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


def utcnow() -> dt.datetime:
    """The current time, aware, in UTC (what every timestamp column stores)."""
    return dt.datetime.now(dt.UTC)


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


# ---------------------------------------------------------------------------------------------
# Bulk writes. SQLAlchemy's executemany costs ~20 µs of Python per row in parameter processing;
# for imports of hundreds of thousands of rows the driver is fed directly: COPY on PostgreSQL,
# sqlite3's executemany on SQLite. Values are converted here the way the column types would.


def _sqlite_value(value):
    import enum

    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="microseconds")  # SQLAlchemy's SQLite storage format
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _pg_value(value):
    import enum

    return value.value if isinstance(value, enum.Enum) else value


_PLAIN = (str, int, bool, bytes)


def _converter(sample, dialect: str):
    """How to convert a column's values for the driver, judged by its first non-null value:
    None when they pass as they are (most columns), else a function for that column."""
    import enum

    if sample is None or (isinstance(sample, _PLAIN) and not isinstance(sample, enum.Enum)):
        return None
    if dialect == "postgresql":
        return _pg_value if isinstance(sample, enum.Enum) else None  # psycopg adapts the rest itself
    if type(sample) is Decimal:
        return lambda v: str(v) if type(v) is Decimal else _sqlite_value(v)
    if isinstance(sample, enum.Enum | dt.date) and not isinstance(sample, dt.datetime):
        seen: dict = {}  # few distinct members / days: convert each once

        def cached(v):
            try:
                return seen[v]
            except KeyError:
                seen[v] = out = _sqlite_value(v)
                return out

        return cached
    last = [object(), None]  # e.g. one created_at for every row: convert it once

    def repeated(v):
        if v is not last[0]:
            last[:] = [v, _sqlite_value(v)]
        return last[1]

    return repeated


def bulk_insert(session, table, rows: list[dict]) -> int:
    """Insert ``rows`` (dicts keyed by column name, all with the same keys) into ``table`` fast.

    Runs in the session's transaction; returns the number of rows. Use it for imports and
    generated data; ordinary writes go through the ORM so the activity trail sees them.
    """
    if not rows:
        return 0
    if hasattr(table, "__table__"):
        table = table.__table__
    columns = list(rows[0])
    conn = session.connection()
    dialect = conn.dialect.name
    raw = conn.connection.dbapi_connection
    quoted = ", ".join(f'"{c}"' for c in columns)
    get = operator.itemgetter(*columns) if len(columns) > 1 else (lambda r, c=columns[0]: (r[c],))
    convert = []
    for i, c in enumerate(columns):
        f = _converter(next((r[c] for r in rows if r[c] is not None), None), dialect)
        if f is not None:
            convert.append((i, f))

    def converted(row):
        v = list(get(row))
        for i, f in convert:
            if v[i] is not None:
                v[i] = f(v[i])
        return v

    values = converted if convert else get  # with nothing to convert the driver takes the tuples as they are
    if dialect == "postgresql":
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(values(row))
    else:
        marks = ", ".join("?" for _ in columns)
        cur = raw.cursor()
        try:
            cur.executemany(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})', map(values, rows))
        finally:
            cur.close()
    return len(rows)


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
