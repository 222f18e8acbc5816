"""Dunning: the daily billing.arrears_followup job keeps a follow-up every 15 days for arrears > 1 month."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.errors import PermissionDenied, ValidationError
from plugins.billing import services as billing
from plugins.billing.models import DunningAction, DunningCase

from .helpers import charge, item

D = dt.date


def at(day: dt.date) -> dt.datetime:
    """Noon in Shanghai on ``day`` (04:00 UTC)."""
    return dt.datetime(day.year, day.month, day.day, 4, tzinfo=dt.UTC)


@pytest.fixture
def owing(bt):
    s = bt.session
    item(s, bt.estate, "svc", price="0", basis="fixed", category="other", cycle="one_off")
    charge(s, bt.units["101"], "svc", 10000, due=D(2026, 9, 15), posted=D(2026, 9, 1))
    charge(s, bt.units["102"], "svc", 5000, due=D(2026, 11, 10), posted=D(2026, 11, 1))
    return bt


def _case(s, unit):
    return s.scalar(select(DunningCase).where(DunningCase.unit_id == unit.id))


def _actions(s, case):
    return list(
        s.scalars(select(DunningAction).where(DunningAction.case_id == case.id).order_by(DunningAction.id))
    )


def test_followup_every_15_days_and_overdue_flag(owing):
    s, u1 = owing.session, owing.units["101"]
    first = billing.arrears_followup(s, at(D(2026, 11, 1)))
    assert first["cases_opened"] == 1 and first["actions_created"] == 1  # only 101 is over a month behind
    case = _case(s, u1)
    assert case.assigned_role == "cs_specialist" and case.arrears_fen == 10000
    assert case.oldest_due_on == D(2026, 9, 15)
    assert [(a.kind, a.due_on, a.done_on) for a in _actions(s, case)] == [("phone", D(2026, 11, 1), None)]
    assert (
        billing.arrears_followup(s, at(D(2026, 11, 1)))["actions_created"] == 0
    )  # running twice is harmless

    billing.record_dunning_action(
        owing.session,
        owing.specialist,
        case,
        kind="phone",
        result="业主答应月底前缴清",
        done_on=D(2026, 11, 3),
        promised_on=D(2026, 11, 30),
    )
    assert case.status == "promised"
    assert billing.arrears_followup(s, at(D(2026, 11, 4)))["actions_created"] == 1
    assert _actions(s, case)[-1].due_on == D(2026, 11, 18)  # 15 days after the last follow-up
    late = billing.arrears_followup(s, at(D(2026, 11, 19)))
    assert late["overdue_flagged"] == 1 and late["actions_created"] == 0
    assert _actions(s, case)[-1].overdue is True
    assert billing.arrears_followup(s, at(D(2026, 11, 20)))["overdue_flagged"] == 0

    billing.record_payment(
        s, owing.cashier, unit=u1, amount_fen=10000, method="cash", paid_on=D(2026, 11, 20)
    )
    closed = billing.arrears_followup(s, at(D(2026, 11, 21)))
    assert closed["cases_closed"] == 1 and case.status == "closed" and case.closed_on == D(2026, 11, 21)
    assert all(a.done_on is not None for a in _actions(s, case))


def test_newer_arrears_open_a_case_once_a_month_old(owing):
    s = owing.session
    assert billing.arrears_followup(s, at(D(2026, 12, 10)))["cases_opened"] == 1  # only 101
    assert billing.arrears_followup(s, at(D(2026, 12, 11)))["cases_opened"] == 1  # now 102 too
    assert _case(s, owing.units["102"]).arrears_fen == 5000


def test_dunning_actions_need_permission_and_a_known_kind(owing):
    s = owing.session
    billing.arrears_followup(s, at(D(2026, 11, 1)))
    case = _case(s, owing.units["101"])
    with pytest.raises(PermissionDenied):
        billing.record_dunning_action(s, owing.guard, case, kind="phone")
    with pytest.raises(ValidationError):
        billing.record_dunning_action(s, owing.specialist, case, kind="shout")
    billing.record_dunning_action(
        s, owing.specialist, case, kind="visit", dispute_reason="交房延期, 不应收费"
    )
    assert case.status == "disputed" and case.dispute_reason.startswith("交房延期")
    billing.record_dunning_action(s, owing.specialist, case, kind="legal", result="起诉")
    assert case.status == "legal"
