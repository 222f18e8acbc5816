"""The run's SQL formula (run/lines.py), property-tested: the set-based run equals an independent Decimal
computation and ``calc.line_amount_fen`` line by line, the summary equals the sum of the lines, and no
float ever reaches the database or a result."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from plugins.billing import periods as P
from plugins.billing.calc import line_amount_fen
from plugins.billing.models import ChargeLine

from .helpers import add_unit, item, make_estate, run_billing

_codes = itertools.count()

unit_st = st.tuples(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2),  # built area
    st.integers(
        min_value=-40, max_value=30
    ),  # delivery: days after the period's first day (negative: before)
)


def reference(area: Decimal, price_cfen: int, basis: str, days: int, days_cycle: int) -> int:
    qty = area if basis == "built_area" else Decimal(1)
    yuan = qty * Decimal(price_cfen) / Decimal(10000) * Decimal(days) / Decimal(days_cycle)
    return int((yuan * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    units=st.lists(unit_st, min_size=1, max_size=6),
    price_cfen=st.integers(min_value=1, max_value=999_999),
    basis=st.sampled_from(["built_area", "per_unit"]),
    period=st.sampled_from(["2024-02", "2026-02", "2026-11", "2026-12", "2026-10"]),
    cycle=st.sampled_from(["monthly", "quarterly"]),
    price_per=st.sampled_from(["cycle", "month"]),
)
def test_run_matches_decimal_reference_and_totals_are_sums(bt, units, price_cfen, basis, period, cycle, price_per):
    s = bt.session
    estate, (b1,) = make_estate(s, f"H{next(_codes)}", buildings=1)
    start, end = P.bounds(period)
    cs, ce = P.cycle_of(period, cycle)
    days_cycle, months = (ce - cs).days + 1, P.CYCLE_MONTHS[cycle] if price_per == "month" else 1
    expected = {}
    for i, (area, offset) in enumerate(units):
        delivered = start + dt.timedelta(days=offset)
        unit = add_unit(s, b1, f"R{i}", area=str(area), delivered=delivered)
        if delivered > end:  # not delivered by the month's end: the developer's month
            days = days_cycle if price_per == "month" else (end - start).days + 1
        elif start != cs and delivered < start:
            continue  # billed at the cycle's start
        else:
            days = ((ce - max(delivered, cs)).days + 1) * months
        amount = reference(area, price_cfen, basis, days, days_cycle)
        assert amount == line_amount_fen(basis, price_cfen, quantity=area, days=days, days_cycle=days_cycle)
        if amount > 0:
            expected[unit.id] = amount
    price = str(Decimal(price_cfen) / 10000)
    item(s, estate, f"p{next(_codes)}", price=price, basis=basis, cycle=cycle, price_per=price_per)

    params: list = []

    def spy(conn, cursor, statement, parameters, context, executemany):
        params.append(parameters)

    engine = s.get_bind().engine if hasattr(s.get_bind(), "engine") else s.get_bind()
    event.listen(engine, "before_cursor_execute", spy)
    try:
        summary = run_billing(s, estate, period)
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    got = dict(
        s.execute(
            select(ChargeLine.unit_id, ChargeLine.amount_fen).where(ChargeLine.estate_id == estate.id)
        ).all()
    )
    assert got == expected
    assert summary["lines_created"] == len(expected)
    assert summary["amount_fen"] == sum(got.values()) == sum(expected.values())
    assert type(summary["amount_fen"]) is int and all(type(v) is int for v in got.values())
    flat = [
        v
        for p in params
        for v in (p.values() if isinstance(p, dict) else p if isinstance(p, list | tuple) else [p])
    ]
    assert not any(isinstance(v, float) for v in flat), "a float was sent to the database"
