"""Pytest fixtures for Wuye and its plugins (registered as the pytest plugin ``wuye``).

Every test that uses ``session`` (or ``engine``) runs once on SQLite and, when
``WUYE_TEST_DATABASE_URL`` is set, once more on PostgreSQL. Each test runs inside a transaction
that is rolled back, so tests never see each other's rows. Tests that must commit (concurrency)
use ``committed`` and the tables are emptied after them.

The shared test schema is made with ``create_all`` for speed; ``tests/core/test_migrations.py``
proves that running the migrations gives the same schema.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from core.config import Config
from core.db import Base, make_engine

PG_ENV = "WUYE_TEST_DATABASE_URL"


def pytest_configure(config):
    # Staff users are created in many tests; full-strength argon2 would dominate the run time.
    from core.security.passwords import use_fast_hashing_for_tests

    use_fast_hashing_for_tests()


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(PG_ENV) else ["sqlite"]


def in_tree_plugins() -> list[str]:
    """Every in-tree plugin, or the comma-separated list in ``WUYE_TEST_PLUGINS`` (empty: core only)."""
    from core.host import discover

    chosen = os.environ.get("WUYE_TEST_PLUGINS")
    if chosen is not None:
        return sorted(n for n in chosen.split(",") if n.strip())
    return sorted(n for n, m in discover(use_entry_points=False).items() if m.source == "in-tree")


def boot(enabled: list[str] | None = None, *, database_url: str = "sqlite://", search=None,
         use_entry_points: bool = False, **config):
    """Boot an instance with ``enabled`` plugins (default: every in-tree plugin)."""
    from core.runtime import Wuye

    cfg = Config(database_url=database_url, enabled=list(in_tree_plugins() if enabled is None else enabled),
                 **config)
    return Wuye.boot(cfg, search=search, use_entry_points=use_entry_points)


def demo_instance(db_file: Path, enabled: list[str] | None = None, **config):
    """An instance on the SQLite file ``db_file`` with the schema, the seed data and the demo data of
    ``enabled`` (default: every in-tree plugin): what a browser test works on."""
    from core.demo import build_demo
    from core.seed import seed_all

    wuye = boot(enabled, database_url=f"sqlite:///{db_file}", **config)
    Base.metadata.create_all(wuye.engine)
    with wuye.session() as s:
        seed_all(s, wuye)
    with wuye.session() as s:
        build_demo(wuye, s)
    return wuye


@contextmanager
def live_server(wuye, app=None):
    """Serve ``app`` (default: ``wuye``'s web app) on a free local port in a thread; yields the base URL
    (``http://127.0.0.1:<port>``) and stops the server after the block."""
    from werkzeug.serving import make_server

    from core.web import create_app

    srv = make_server("127.0.0.1", 0, app or create_app(wuye, testing=True), threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}"
    finally:
        srv.shutdown()
        thread.join(5)


def reset_schema(engine) -> None:
    """Drop everything in the test database and create every known table."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)


def truncate_all(engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            # checked at commit, when every row is gone: rows referring to rows of their own table
            # (a reversal line and the line it reverses) would otherwise fail the per-statement check
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))


@pytest.fixture(scope="session")
def wuye_all(tmp_path_factory):
    """An instance with every in-tree plugin enabled (importing their models). Its attachments are
    kept in a temporary folder: it has no config file to put an instance folder next to."""
    from core.attachments import LocalStorage, use_storage

    instance = boot()
    with use_storage(instance, LocalStorage(tmp_path_factory.mktemp("attachments"))):
        yield instance


@pytest.fixture(scope="session", params=backends())
def engine(request, tmp_path_factory, wuye_all):
    """The test database engine, once per backend, with the full schema created."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        eng = make_engine(f"sqlite:///{path}")
    else:
        eng = make_engine(os.environ[PG_ENV])
    reset_schema(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def wuye(wuye_all, engine):
    """The all-plugins instance bound to the test engine."""
    wuye_all.use_engine(engine)
    return wuye_all


@pytest.fixture
def session(factory):
    """A session inside a transaction rolled back after the test (savepoints for inner commits).

    It shares the test's connection with ``factory`` and the ``app``'s requests, so what a test
    creates here (``make_estate``, ``make_actor``) is what the app and ``api_client`` see.
    """
    s = factory()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def committed(wuye, engine):
    """For tests that need real commits (several connections): tables are emptied afterwards."""
    truncate_all(engine)
    yield wuye
    truncate_all(engine)


@pytest.fixture
def seeded(session, wuye):
    """Roles, default grants and every plugin's reference data, seeded into the test transaction."""
    from core.seed import seed_all

    seed_all(session, wuye)
    return session


@pytest.fixture
def make_estate(session):
    """Factory: an estate with one building and ``units`` residential units of 100 m²."""
    from decimal import Decimal

    from core.models import Building, Estate, Unit, UnitStatus

    counter = {"n": 0}

    def make(code: str | None = None, units: int = 3, **unit_kw) -> Estate:
        counter["n"] += 1
        code = code or f"E{counter['n']}"
        estate = Estate(code=code, name=f"Estate {code}")
        session.add(estate)
        session.flush()
        building = Building(estate_id=estate.id, code="1", name="1栋")
        session.add(building)
        session.flush()
        for i in range(units):
            kw = {"unit_type": "residential", "built_area": Decimal("100.00"), "interior_area": Decimal("80.00"),
                  "status": UnitStatus.occupied, **unit_kw}
            session.add(Unit(estate_id=estate.id, building_id=building.id, floor=1 + i // 4,
                             room_no=f"{1 + i // 4}{i % 4 + 1:02d}", **kw))
        session.flush()
        return estate

    return make


@pytest.fixture
def make_actor(seeded):
    """Factory: a staff user with ``role`` (or roles) assigned to ``estates`` (Estate objects)."""
    from core.services.staff import create_staff

    counter = {"n": 0}

    def make(*roles: str, estates=()):
        counter["n"] += 1
        return create_staff(seeded, f"u{counter['n']}_{roles[0]}", "password123", roles=list(roles),
                            estates=[e.code for e in estates], allow_short_password=True)

    return make


# --- the web app, its requests bound to the test's transaction --------------------------------
@pytest.fixture
def conn(engine):
    """One connection in a transaction rolled back after the test, shared by ``factory`` sessions."""
    connection = engine.connect()
    trans = connection.begin()
    if engine.dialect.name == "sqlite" and not connection.connection.driver_connection.in_transaction:
        # pysqlite opens no transaction for SAVEPOINT, so releasing the first savepoint would commit:
        # open the real transaction ourselves (rolled back below).
        connection.exec_driver_sql("BEGIN")
    yield connection
    trans.rollback()
    connection.close()


@pytest.fixture
def factory(wuye, conn):
    """Make sessions on the test's connection: what the app's requests use, and what a test uses
    to create the records (staff, estates) those requests must see. ``commit()`` commits a savepoint."""

    def make():
        return Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False,
                       info={"wuye": wuye})

    return make


@pytest.fixture(scope="session")
def _apps():
    return {}


@pytest.fixture
def app(wuye, engine, factory, _apps):
    """The Flask app of the all-plugins instance (one per backend: building it takes a while), its
    requests bound to this test's connection, so nothing they commit survives the test."""
    from core.web import create_app

    key = (id(wuye), engine)  # a plugin's own tests may boot a larger instance on the same database
    if key not in _apps:
        holder: dict = {}
        _apps[key] = (create_app(wuye, testing=True, session_factory=lambda: holder["factory"]()), holder)
    built, holder = _apps[key]
    holder["factory"] = factory
    return built


@pytest.fixture
def api_client(app, factory):
    """``api_client(username)``: a test client whose requests carry a fresh API token of that staff
    member (created in a ``factory()`` session and committed), e.g. ``api_client("guard").get("/api/v1/...")``."""
    from core.web.tokens import create_token

    def make(username: str):
        s = factory()
        _row, token = create_token(s, username, name="test")
        s.commit()
        s.close()
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client

    return make


# --- a per-backend tally, printed at the end so CI can prove the PostgreSQL tests ran ----------
_backend_counts = {"sqlite": 0, "postgresql": 0}


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed:
        for backend in _backend_counts:
            if f"[{backend}" in report.nodeid or f"-{backend}" in report.nodeid:
                _backend_counts[backend] += 1


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(
        f"wuye database tests passed: sqlite={_backend_counts['sqlite']} postgresql={_backend_counts['postgresql']}")
