"""Per-lineage migrations on a fresh database, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from core import migrate
from core.db import make_engine
from core.testing import PG_ENV, backends, boot, in_tree_plugins


@pytest.fixture(params=backends())
def fresh_url(request, tmp_path):
    """The URL of a new, empty database; dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mig.sqlite3'}"
        return
    base = make_url(os.environ[PG_ENV])
    name = f"wuye_mig_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_upgrade_from_empty_gives_exactly_the_models(fresh_url):
    wuye = boot(database_url=fresh_url)
    done = migrate.upgrade_all(wuye)
    assert [d[0] for d in done][0] == "core"
    assert migrate.drift(wuye) == []
    assert all(r["current"] == r["head"] for r in migrate.status(wuye))
    # a second upgrade changes nothing
    assert all(before == after for _, before, after in migrate.upgrade_all(wuye))
    wuye.engine.dispose()


def test_enabling_later_creates_only_that_plugins_tables_and_disabling_touches_nothing(fresh_url):
    core_only = boot([], database_url=fresh_url)
    migrate.upgrade_all(core_only)
    engine = core_only.engine
    core_tables = tables(engine)
    assert core_tables and all(t.startswith(("core_", "alembic_version")) for t in core_tables)
    for plugin in in_tree_plugins():
        deps = _with_dependencies(plugin)
        wuye = boot(deps, database_url=fresh_url)
        wuye.use_engine(engine)
        before = tables(engine)
        migrate.upgrade_all(wuye)
        added = tables(engine) - before
        expected_prefixes = tuple(f"{p}_" for p in deps) + tuple(f"alembic_version_{p}" for p in deps)
        assert all(t.startswith(expected_prefixes) for t in added), added
        assert migrate.drift(wuye) == []
    # Disabling everything and "upgrading" leaves every plugin table in place.
    everything = tables(engine)
    migrate.upgrade_all(core_only)
    assert tables(engine) == everything
    engine.dispose()


def _with_dependencies(plugin: str) -> list[str]:
    from core.host import discover

    manifests = discover(use_entry_points=False)
    out, todo = [], [plugin]
    while todo:
        name = todo.pop()
        if name not in out:
            out.append(name)
            todo.extend(manifests[name].depends)
    return out


def test_each_plugin_downgrades_to_base_without_a_trace_and_upgrades_again(fresh_url):
    wuye = boot(database_url=fresh_url)
    migrate.upgrade_all(wuye)
    engine = wuye.engine
    # dependents first, so no foreign key points into a table being dropped
    for lin in reversed(migrate.lineages(wuye)[1:]):
        migrate.downgrade_lineage(engine, lin, "base")
        left = {t for t in tables(engine) if t.startswith(lin.table_prefix) or t == lin.version_table}
        assert left == set(), f"{lin.name} left {left}"
    assert all(t.startswith("core_") or t == "alembic_version" for t in tables(engine))
    migrate.upgrade_all(wuye)
    assert migrate.drift(wuye) == []
    engine.dispose()


def test_test_schema_from_create_all_equals_the_migrations(engine, wuye):
    # The shared test database is built with create_all for speed; it must match the migrations'
    # schema, which test_upgrade_from_empty_gives_exactly_the_models checks against the same models.
    assert migrate.schema_differences(wuye, engine) == []


def test_unreachable_database_is_a_clear_error():
    from core.errors import DatabaseError

    wuye = boot([], database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(DatabaseError, match="cannot connect to the database .*check \\[core\\] database_url"):
        migrate.upgrade_all(wuye)
