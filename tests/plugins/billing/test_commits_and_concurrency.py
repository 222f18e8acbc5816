"""Real commits: a run killed midway completes on rerun; 8 concurrent payments on one bill lose nothing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from core.models import Unit
from core.seed import seed_all
from plugins.billing import services as billing
from plugins.billing.models import Account, Allocation, ChargeLine, Payment, Receipt
from plugins.billing.run import run_billing

from .helpers import add_unit, item, make_estate, quiet_catalogue


def _setup(wuye) -> dict:
    with wuye.session() as s:
        seed_all(s, wuye)
        quiet_catalogue(s)
        estate, (b1, b2) = make_estate(s, "CC")
        units = [
            add_unit(s, b1, "101"),
            add_unit(s, b1, "102", area="89.37"),
            add_unit(s, b2, "201", area="120.55"),
        ]
        item(s, estate, "pf", price="2.35")
        return {"estate": estate.code, "units": [u.id for u in units]}


class Killed(Exception):
    pass


def test_run_killed_after_the_first_building_completes_exactly_on_rerun(committed):
    wuye = committed
    ids = _setup(wuye)

    def die_after_first_building(building, period):
        raise Killed(f"power cut after building {building.code}")

    with wuye.sessions() as s, pytest.raises(Killed):
        run_billing(s, ids["estate"], "2026-11", progress=die_after_first_building)
    with wuye.sessions() as s:  # building 1 was committed before the "crash"; building 2 was not
        assert s.scalar(select(func.count(ChargeLine.id))) == 2
    with wuye.sessions() as s:
        rest = run_billing(s, ids["estate"], "2026-11")
    assert rest["lines_created"] == 1 and rest["lines_existing"] == 2
    with wuye.sessions() as s:
        total = s.scalar(select(func.sum(ChargeLine.amount_fen)).where(ChargeLine.run_period == "2026-11"))
        assert total == 23500 + 21002 + 28329
        again = run_billing(s, ids["estate"], "2026-11")
        assert again["lines_created"] == 0 and again["lines_existing"] == 3


def test_eight_concurrent_payments_on_one_bill_lose_nothing(committed):
    wuye = committed
    ids = _setup(wuye)
    unit_id = ids["units"][0]
    with wuye.session() as s:
        unit = s.get(Unit, unit_id)
        line = billing.post_charge(
            s, None, unit=unit, fee_item_code="pf", amount_fen=100_000, source="test:bill:1"
        )
        line_id = line.id
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def pay():
        try:
            barrier.wait(timeout=30)
            with wuye.session() as s:
                unit = s.get(Unit, unit_id)
                billing.record_payment(s, None, unit=unit, amount_fen=30_000, method="wechat")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=pay) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    with wuye.sessions() as s:
        payments = list(s.scalars(select(Payment)))
        assert len(payments) == 8 and sum(p.amount_fen for p in payments) == 240_000
        allocated = s.scalar(
            select(func.sum(Allocation.amount_fen)).where(Allocation.charge_line_id == line_id)
        )
        assert allocated == 100_000  # the bill is paid exactly once
        prepaid = s.scalar(select(Account.prepaid_fen).where(Account.unit_id == unit_id))
        assert prepaid == 140_000 == sum(p.to_prepaid_fen for p in payments)
        numbers = [r.number for r in s.scalars(select(Receipt))]
        assert len(set(numbers)) == 8 and all(n.startswith("RC-") for n in numbers)
        assert billing.outstanding_fen(s, source="test:bill:1") == 0
