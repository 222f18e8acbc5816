"""Shared helpers: databases to run on, timing, peak memory, result rows."""

from __future__ import annotations

import os
import time
import tracemalloc
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.db import Base, make_engine

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass
class Result:
    """One measured figure beside its baseline and target."""

    benchmark: str
    backend: str
    metric: str
    value: float
    unit: str
    baseline: str = ""
    baseline_value: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    notes: str = ""
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


@contextmanager
def timer():
    box = {}
    start = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - start


@contextmanager
def peak_memory():
    """Peak Python heap allocated inside the block, in MB (tracemalloc: what our code holds)."""
    tracemalloc.start()
    box = {}
    try:
        yield box
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        box["mb"] = peak / 1024 / 1024


def pg_url() -> str | None:
    url = os.environ.get("WUYE_BENCH_DATABASE_URL") or os.environ.get("WUYE_TEST_DATABASE_URL") or DEFAULT_PG
    try:
        eng = make_engine(url)
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
        eng.dispose()
        return url
    except Exception:
        return None


@contextmanager
def fresh_database(backend: str, tmpdir):
    """An engine on a new empty database with every model's table created; dropped afterwards."""
    if backend == "sqlite":
        path = tmpdir / f"bench-{uuid.uuid4().hex[:8]}.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        Base.metadata.create_all(engine)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    base = make_url(pg_url())
    name = f"wuye_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(base.set(database=name).render_as_string(hide_password=False))
    Base.metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
