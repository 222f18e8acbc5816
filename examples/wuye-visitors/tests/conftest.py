"""Fixtures of the visitor register's tests.

Wuye ships its test fixtures as the pytest plugin ``wuye`` (``core.testing``): ``engine`` (the test
database, SQLite, and PostgreSQL too when ``WUYE_TEST_DATABASE_URL`` is set), ``wuye`` (the booted
instance bound to it), ``session`` (rolled back after each test), ``seeded`` (roles and default
grants), ``make_estate``, ``make_actor`` and ``api_client`` (HTTP with a staff token). They boot ``wuye_all``: every in-tree plugin. A plugin
installed from its own distribution overrides ``wuye_all`` to be part of that instance, so its
permissions are seeded and its workflow is enforced, and makes sure its tables exist.
"""

from __future__ import annotations

import pytest

from core import Base
from core.testing import boot, in_tree_plugins
from wuye_visitors.models import MODELS


@pytest.fixture(scope="session")
def wuye_all():
    """Every in-tree plugin plus this one, found through its entry point (as `wuye` finds it)."""
    return boot([*in_tree_plugins(), "visitors"], use_entry_points=True)


@pytest.fixture(scope="session")
def engine(engine):
    """Core's test database with our tables added (it may have been made before our models were imported)."""
    Base.metadata.create_all(engine, tables=[model.__table__ for model in MODELS], checkfirst=True)
    return engine


@pytest.fixture
def estate(make_estate):
    return make_estate("VS", units=3)


@pytest.fixture
def unit(estate):
    return estate.buildings[0].units[0]


@pytest.fixture
def guard(make_actor, estate):
    return make_actor("guard", estates=[estate])
