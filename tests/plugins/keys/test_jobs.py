"""The scheduled jobs: keys.overdue_returns (借出超时) and their registration.

The monthly inventory reminder is tested with the inventory (test_inventory.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import utcnow
from plugins.keys import services
from plugins.keys.jobs import jobs, overdue_returns
from plugins.keys.models import KeyLoan


def test_overdue_job_flags_loans_past_their_expected_return(session, custodian, make_key, lend):
    now = utcnow()
    late, on_time, back = make_key(0), make_key(1), make_key(2)
    late_loan = lend(session, late, issued_at=now - dt.timedelta(hours=5),
                     expected_return_at=now - dt.timedelta(hours=1))
    on_time_loan = lend(session, on_time, expected_return_at=now + dt.timedelta(hours=1))
    lend(session, back, issued_at=now - dt.timedelta(hours=5), expected_return_at=now - dt.timedelta(hours=2))
    services.return_key(session, custodian, back)
    summary = overdue_returns(session, now)
    assert summary == {"overdue": 1, "flagged": 1, "newly_flagged": [late_loan.number]}
    assert late_loan.flagged_overdue_at == now and on_time_loan.flagged_overdue_at is None
    assert late_loan.is_overdue and not on_time_loan.is_overdue
    assert services.overdue_loans(session, late.estate_id) == [late_loan]
    again = overdue_returns(session, now + dt.timedelta(minutes=15))
    assert again == {"overdue": 1, "flagged": 0, "newly_flagged": []}
    assert late_loan.flagged_overdue_at == now  # flagged once
    later = overdue_returns(session, now + dt.timedelta(hours=2))
    assert later["newly_flagged"] == [on_time_loan.number]


def test_overdue_grace_from_the_settings(session, custodian, make_key, lend, wuye, monkeypatch):
    now = utcnow()
    loan = lend(session, make_key(0), issued_at=now - dt.timedelta(hours=1),
                expected_return_at=now - dt.timedelta(minutes=10))
    monkeypatch.setitem(wuye.registry.plugin_settings, "keys", {"overdue_grace_minutes": 30,
                                                                "escort_required_for_custody_keys": True})
    assert overdue_returns(session, now)["flagged"] == 0
    assert overdue_returns(session, now + dt.timedelta(minutes=21))["newly_flagged"] == [loan.number]


def test_jobs_are_registered_with_valid_schedules(wuye):
    from core.jobs import parse_schedule

    found = {j.name: j for j in jobs()}
    assert set(found) == {"keys.overdue_returns", "keys.monthly_inventory_reminder"}
    assert parse_schedule(found["keys.overdue_returns"].schedule) == ("minute", 15)
    assert wuye.registry.jobs["keys.overdue_returns"].func is overdue_returns


def test_overdue_job_through_the_job_runner(committed, received_key):
    """``wuye jobs run keys.overdue_returns``: its own transaction, a system session, a recorded run."""
    from core import as_system
    from core.jobs import run_job

    wuye, now = committed, utcnow()
    key_id, approver_id = received_key("JR", "J1", "gm_jobs")
    with wuye.session() as s, as_system(s):
        number = services.lend_key(s, None, key_id, borrower_name="x", purpose="maintenance",
                                   approved_by_id=approver_id, issued_at=now - dt.timedelta(hours=3),
                                   expected_return_at=now - dt.timedelta(hours=1)).number
    result = run_job(wuye, wuye.registry.jobs["keys.overdue_returns"], now)
    assert result["ok"], result["error"]
    assert result["summary"] == {"overdue": 1, "flagged": 1, "newly_flagged": [number]}
    with wuye.session() as s:
        assert s.scalar(select(KeyLoan.flagged_overdue_at).where(KeyLoan.number == number)) is not None
