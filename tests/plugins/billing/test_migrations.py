"""billing's migrations on a fresh database give exactly the models; downgrade removes only billing's tables."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from core import migrate
from core.testing import boot
from tests.core.test_migrations import fresh_url  # noqa: F401 - the fixture (SQLite and PostgreSQL)


def test_billing_migrations_upgrade_downgrade_upgrade(fresh_url):  # noqa: F811
    wuye = boot(["billing"], database_url=fresh_url)
    done = dict((name, after) for name, _before, after in migrate.upgrade_all(wuye))
    assert done["billing"] == "billing_0006"
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


def test_billing_0002_keeps_lines_and_the_source_key(fresh_url):  # noqa: F811
    """From billing_0001 with lines in it: the two redundant indexes go, lines stay, and a second line
    with the same (source, fee item) is still refused while run lines (no source) are not indexed."""
    from sqlalchemy.orm import Session

    from tests.plugins.billing.helpers import add_unit, make_estate

    wuye = boot(["billing"], database_url=fresh_url)
    billing = next(lin for lin in migrate.lineages(wuye) if lin.name == "billing")
    migrate.upgrade_all(wuye)
    migrate.downgrade_lineage(wuye.engine, billing, "billing_0001")
    names = {ix["name"] for ix in inspect(wuye.engine).get_indexes("billing_charge_lines")}
    assert {"ix_billing_charge_lines_estate_id", "ix_billing_charge_lines_source"} <= names
    with Session(wuye.engine, info={"wuye": wuye}) as s:
        estate, buildings = make_estate(s)
        unit = add_unit(s, buildings[0], "101")
        # a raw row: the FeeItem model has columns of later revisions (billing_0005) this schema lacks
        s.execute(text("INSERT INTO billing_fee_items (code, name, name_zh, category, basis, cycle, prepaid, "
                       "due_day, rounding, unit_types, payer, estate_id, unit_label, description, active, "
                       "source_plugin, created_at) VALUES ('svc', 'svc', 'svc', 'other', 'fixed', 'one_off', "
                       "true, 15, 'half_up', '[]', 'owner', :estate, '', '', true, '', :at)"),
                  {"estate": estate.id, "at": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)})
        fee_id = s.execute(text("SELECT id FROM billing_fee_items WHERE code = 'svc'")).scalar()
        ids = {"estate": estate.id, "unit": unit.id, "item": fee_id}
        s.commit()
    insert = text("INSERT INTO billing_charge_lines (estate_id, unit_id, fee_item_id, period, run_period, origin, "
                  "amount_fen, due_on, posted_on, payer, description, source, created_at) VALUES (:estate, :unit, "
                  ":item, '2026-11', :run, :origin, 100, :day, :day, 'owner', '', :source, :at)")
    row = {**ids, "day": dt.date(2026, 11, 1), "at": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)}
    with wuye.engine.begin() as conn:
        conn.execute(insert, {**row, "run": None, "origin": "posted", "source": "renovation:x:1"})
    migrate.upgrade_lineage(wuye.engine, billing, "head")
    names = {ix["name"] for ix in inspect(wuye.engine).get_indexes("billing_charge_lines")}
    assert not {"ix_billing_charge_lines_estate_id", "ix_billing_charge_lines_source"} & names
    assert "uq_billing_charge_lines_source_fee_item_id" in names
    assert _billing_drift(wuye) == []
    with wuye.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM billing_charge_lines")).scalar() == 1
        for period in ("2026-11", "2026-12"):  # run lines: no source, no key entry, no conflict
            conn.execute(insert, {**row, "run": period, "origin": "run", "source": None})
        with pytest.raises(IntegrityError):
            conn.execute(insert, {**row, "run": None, "origin": "posted", "source": "renovation:x:1"})
        conn.rollback()
    wuye.engine.dispose()
