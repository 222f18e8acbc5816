"""The billing demo reads every unit's balance in one query a month; it must equal the ledger's own
per-unit figure (``unit_balance_fen``), or the demo's payments would be for the wrong amounts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.models import Unit
from plugins.billing.demo import build_demo, owed_by_unit
from plugins.billing.ledger import unit_balance_fen

from .helpers import add_unit, make_estate


def test_owed_by_unit_matches_the_ledger_for_every_unit(seeded):
    s = seeded
    estate, buildings = make_estate(s, "DB", buildings=2)
    for b in buildings:
        for i in range(15):
            add_unit(s, b, f"{i + 1:03d}", area=f"{85 + i * 4}.{i:02d}", delivered=dt.date(2024, 7, 1 + i))
    build_demo(s, estate)  # a year of bills, payments in full and in part, prepaid and arrears
    units = s.scalars(select(Unit.id).where(Unit.estate_id == estate.id))
    expected = {u: unit_balance_fen(s, u) for u in units}
    owed = owed_by_unit(s, estate)
    assert owed == {u: fen for u, fen in expected.items() if fen}
    assert 0 < len(owed) < len(expected)  # some owe (the last bills, the ones behind), some do not
