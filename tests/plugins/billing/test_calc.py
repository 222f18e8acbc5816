"""Exact money arithmetic in Python (calc.py): rounding, quantities in hundredths, tiers, and the split
of a shared cost whose parts always sum to the total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.billing.calc import hundredths, line_amount_fen, round_div, split_by_weight, tiered_amount_fen


def test_round_div_half_up_or_down_and_integers_only():
    assert (round_div(5, 2), round_div(5, 2, "down"), round_div(4, 3)) == (3, 2, 1)
    with pytest.raises(TypeError):
        round_div(5.0, 2)
    with pytest.raises(ValueError):
        round_div(-1, 2)


def test_quantities_are_hundredths_without_floats():
    assert hundredths("89.37") == 8937 and hundredths(Decimal("1")) == 100
    with pytest.raises(ValueError):
        hundredths("1.005")
    with pytest.raises(TypeError):
        hundredths(1.5)


def test_line_amount_and_tiers():
    # 2.35 元/m² (23500 cfen) on 89.37 m², 21 of 30 days, half-up: 210.0195 元 * 21/30 = 147.01 元
    assert line_amount_fen("built_area", 23500, quantity="89.37", days=21, days_cycle=30) == 14701
    assert line_amount_fen("per_unit", 150000, vacancy_pct=50) == 750
    # 250 kWh: 200 at 0.50 元, 50 at 0.80 元 = 140 元
    assert tiered_amount_fen(25000, [(0, 20000, 5000), (20000, None, 8000)]) == 14000


def test_split_by_weight_sums_exactly_and_is_deterministic():
    parts = split_by_weight(100, [(1, 1), (2, 1), (3, 1)])
    assert parts == {1: 34, 2: 33, 3: 33} and sum(parts.values()) == 100
    assert split_by_weight(7, [(5, 300), (9, 300)]) == {5: 4, 9: 3}  # tie -> lower key
    assert split_by_weight(0, [(1, 5)]) == {1: 0} and split_by_weight(10, []) == {}


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=40),
)
def test_apportionment_parts_always_sum_to_the_total(total, weights):
    pairs = list(enumerate(weights))
    parts = split_by_weight(total, pairs)
    if sum(weights) == 0:
        assert parts == {}
        return
    assert sum(parts.values()) == total
    assert all(type(v) is int and v >= 0 for v in parts.values())
    whole = sum(weights)
    for key, w in pairs:  # every part is its exact share rounded down or up by at most one fen
        if w:
            assert abs(parts[key] * whole - total * w) < whole
    assert parts == split_by_weight(total, list(reversed(pairs)))  # order of input does not matter
