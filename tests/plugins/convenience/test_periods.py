"""Billing months at an estate: a month runs from local midnight to local midnight, not UTC."""

from __future__ import annotations

import datetime as dt

import pytest

from core import ValidationError
from plugins.convenience.periods import check_period, month_bounds, month_range_utc, previous_month


def test_check_period_accepts_months_and_on_request_years():
    assert check_period(" 2026-03 ") == "2026-03"
    assert check_period("2026", allow_year=True) == "2026"
    for bad in ("2026-3", "2026-13", "2026", ""):
        with pytest.raises(ValidationError) as err:
            check_period(bad)
        assert "period" in err.value.errors


def test_month_bounds_include_december_and_leap_february():
    assert month_bounds("2026-12") == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert month_bounds("2028-02") == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))


def test_month_range_is_local_midnight_to_local_midnight(seeded, make_estate):
    estate = make_estate(units=1)  # Asia/Shanghai, UTC+8
    start, end = month_range_utc(seeded, estate.id, "2026-03")
    assert start == dt.datetime(2026, 2, 28, 16, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 3, 31, 16, tzinfo=dt.UTC)


def test_previous_month_crosses_the_year():
    assert previous_month(dt.date(2027, 1, 15)) == "2026-12"
    assert previous_month(dt.date(2026, 3, 31)) == "2026-02"
