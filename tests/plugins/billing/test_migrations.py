"""billing_0001 on a fresh database gives exactly the models; downgrade removes only billing's tables."""

from __future__ import annotations

from sqlalchemy import inspect

from core import migrate
from core.testing import boot
from tests.core.test_migrations import fresh_url  # noqa: F401 - the fixture (SQLite and PostgreSQL)


def test_billing_migrations_upgrade_downgrade_upgrade(fresh_url):  # noqa: F811
    wuye = boot(["billing"], database_url=fresh_url)
    done = dict((name, after) for name, _before, after in migrate.upgrade_all(wuye))
    assert done["billing"] == "billing_0001"
    assert _billing_drift(wuye) == []
    tables = set(inspect(wuye.engine).get_table_names())
    assert {"billing_charge_lines", "billing_payments", "billing_dunning_actions"} <= tables
    lineage = next(lin for lin in migrate.lineages(wuye) if lin.name == "billing")
    migrate.downgrade_lineage(wuye.engine, lineage, "base")
    left = set(inspect(wuye.engine).get_table_names())
    assert not any(t.startswith("billing_") for t in left) and "core_units" in left
    migrate.upgrade_all(wuye)
    assert _billing_drift(wuye) == []
    wuye.engine.dispose()


def _billing_drift(wuye) -> list[str]:
    # core's own revisions are written by the lead at integration; judge billing's lineage only
    return [p for p in migrate.drift(wuye) if "billing" in p]
