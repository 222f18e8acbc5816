"""Owners who do not come: the reminder 3 days before and deemed delivery (视同交付) after the date."""

from __future__ import annotations

import datetime as dt

import pytest

from core import WorkflowError, business_date
from core.models import UnitStatus
from plugins.move_in import jobs, services


def test_reminder_window_and_deemed_delivery(mi):
    case = mi.notice(notice_sent_on=dt.date(2026, 3, 1))  # come by 2026-04-01
    assert services.remind_due(mi.session, dt.date(2026, 3, 28)) == {"reminded": []}
    assert services.remind_due(mi.session, dt.date(2026, 3, 29)) == {"reminded": [case.number]}
    assert case.reminded_on == dt.date(2026, 3, 29)
    assert services.remind_due(mi.session, dt.date(2026, 3, 30)) == {"reminded": []}  # once
    assert services.deem_overdue(mi.session, dt.date(2026, 4, 1)) == {"deemed": []}  # the last day still counts
    with business_date(mi.session, dt.date(2026, 4, 2)):
        assert services.overdue_cases(mi.session, mi.sup, dt.date(2026, 4, 2)) == [case]
        assert services.overdue_cases(mi.session, mi.clerk_b, dt.date(2026, 4, 2)) == []  # other estate
        assert jobs.deemed_delivery(mi.session) == {"deemed": [case.number]}
    assert case.status == "deemed" and case.deemed_on == dt.date(2026, 4, 2)
    assert mi.units[0].status == UnitStatus.deemed_delivered


def test_deem_by_hand_waits_for_the_date(mi):
    case = mi.notice()
    with pytest.raises(WorkflowError) as err:
        services.transition(mi.session, mi.manager, case, "deem")
    assert "deemed delivered only after" in str(err.value) and case.status == "notified"


def test_a_deemed_owner_who_comes_later_still_moves_in(mi):
    case = mi.notice(notice_sent_on=dt.date(2026, 1, 5))  # come by 2026-02-05, before the business date
    with business_date(mi.session, mi.day):
        services.transition(mi.session, mi.manager, case, "deem")
        mi.to_state(case, "complete")
    assert case.status == "done" and mi.units[0].status == UnitStatus.delivered
