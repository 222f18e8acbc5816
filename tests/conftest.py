"""Fixtures come from ``core.testing`` (the pytest plugin ``wuye``, registered by the package); the web
app fixtures below are shared by ``tests/core/web`` and the plugins' web and API tests.

Each request's session is bound to the test's connection with ``create_savepoint``, so the app
commits as it would in production (savepoints here) and nothing survives the test.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session


@pytest.fixture
def conn(engine):
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
    def make():
        return Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False,
                       info={"wuye": wuye})

    return make


@pytest.fixture(scope="session")
def _apps():
    return {}


@pytest.fixture
def app(wuye, engine, factory, _apps):
    """One app per backend (building it takes a while), its requests bound to this test's connection."""
    from core.web import create_app

    if engine not in _apps:
        holder: dict = {}
        _apps[engine] = (create_app(wuye, testing=True, session_factory=lambda: holder["factory"]()), holder)
    built, holder = _apps[engine]
    holder["factory"] = factory
    return built
