"""Vacancy periods (空置) kept from unit status events, dated by the estate's business date."""

from __future__ import annotations

import datetime as dt

import pytest

from core import ValidationError, business_date, change_unit_status
from plugins.billing import services as billing
from plugins.billing.models import Vacancy


def test_unit_events_keep_vacancy_periods(bt):
    s, unit = bt.session, bt.units["101"]
    with business_date(s, dt.date(2026, 3, 10)):  # the day at the estate when the unit empties
        change_unit_status(s, unit, "vacant")
    [row] = s.query(Vacancy).filter_by(unit_id=unit.id).all()
    assert row.vacant_from == dt.date(2026, 3, 10) and row.vacant_to is None
    with business_date(s, dt.date(2026, 9, 1)):  # used again: empty until the day before
        change_unit_status(s, unit, "occupied")
    assert row.vacant_to == dt.date(2026, 8, 31)


def test_a_vacancy_cannot_end_before_it_starts(bt):
    with pytest.raises(ValidationError) as err:
        billing.record_vacancy(bt.session, bt.units["101"], dt.date(2026, 3, 1), dt.date(2026, 2, 1))
    assert err.value.field == "vacant_to"
