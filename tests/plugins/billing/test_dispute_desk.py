"""Dunning disputes from the API and the arrears-case page (issue 16): marked disputed on a day and ended on
a day, so late fees pause in between (hand-computed); bad dates and states refused naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from core import estate_today
from plugins.billing import services as billing
from plugins.billing.dunning import open_case

from .helpers import charge, item

D = dt.date


@pytest.fixture
def owed(bt):
    """1000.00 due 2026-10-05 on 101 at 3‰ a day, 900.00 of it paid on 10-25; an arrears case opened 10-08."""
    s = bt.session
    item(s, bt.estate, "svc", price="0", basis="fixed", category="other", cycle="one_off",
         late_fee_daily_permille="3")
    bt.line = charge(s, bt.units["101"], "svc", 100000, due=D(2026, 10, 5), posted=D(2026, 10, 1))
    billing.record_payment(s, bt.cashier, unit=bt.units["101"], amount_fen=90000, method="cash",
                           lines=[bt.line.id], paid_on=D(2026, 10, 25))
    bt.case = open_case(s, bt.units["101"], on=D(2026, 10, 8))
    s.flush()
    return bt


def fresh(bt):
    bt.session.expire_all()
    return bt.case


def test_api_dispute_pauses_late_fees_between_its_days(owed, api_client):
    """Disputed 10-11, ended 10-21: 10-06..10-10 (5 days) and 10-21..10-24 (4 days) × 1000.00, 10-25..10-31
    (7 days) × 100.00 = 9700.00 yuan-days × 3‰ = 29.10 (undisputed: 19700.00 × 3‰ = 59.10)."""
    client = api_client(owed.specialist.username)
    url = f"/api/v1/billing/dunning-cases/{owed.case.id}"
    r = client.post(f"{url}/dispute", json={"reason": "未签书面服务合同", "on": "2026-10-11"})
    assert r.status_code == 200, r.json
    assert (r.json["status"], r.json["disputed_on"], r.json["dispute_reason"]) == (
        "disputed", "2026-10-11", "未签书面服务合同")
    r = client.post(f"{url}/end-dispute", json={"on": "2026-10-21", "note": "业主同意缴费"})
    assert r.status_code == 200, r.json
    assert (r.json["status"], r.json["dispute_resolved_on"]) == ("open", "2026-10-21")
    case = fresh(owed)
    assert (case.disputed_on, case.dispute_resolved_on) == (D(2026, 10, 11), D(2026, 10, 21))
    assert "业主同意缴费" in case.note
    assert billing.assess_late_fees(owed.session, owed.estate, "2026-10", "0")["amount_fen"] == 2910


def test_api_dispute_refusals_name_the_field_and_write_nothing(owed, api_client):
    client = api_client(owed.specialist.username)
    url = f"/api/v1/billing/dunning-cases/{owed.case.id}"
    tomorrow = (estate_today(owed.session, owed.estate) + dt.timedelta(days=1)).isoformat()
    r = client.post(f"{url}/dispute", json={"on": "2026-10-11"})
    assert r.status_code == 422 and r.json["error"]["field"] == "reason"
    r = client.post(f"{url}/dispute", json={"reason": "x", "on": tomorrow})
    assert r.status_code == 422 and r.json["error"]["field"] == "on"
    r = client.post(f"{url}/dispute", json={"reason": "x", "on": "2026-13-01"})
    assert r.status_code == 422 and r.json["error"]["field"] == "on"
    r = client.post(f"{url}/end-dispute", json={"on": "2026-10-21"})
    assert r.status_code == 409 and r.json["error"]["field"] == "status"  # nothing to end
    assert fresh(owed).status == "open" and owed.case.disputed_on is None
    assert client.post(f"{url}/dispute", json={"reason": "x", "on": "2026-10-11"}).status_code == 200
    r = client.post(f"{url}/dispute", json={"reason": "again", "on": "2026-10-12"})
    assert r.status_code == 409 and "2026-10-11" in r.json["error"]["message"]
    r = client.post(f"{url}/end-dispute", json={"on": "2026-10-01"})  # before the dispute began
    assert r.status_code == 422 and r.json["error"]["field"] == "on"
    r = client.post(f"{url}/end-dispute", json={"on": "2026-10-21", "status": "closed"})
    assert r.status_code == 422 and r.json["error"]["field"] == "status"  # cases close when paid
    case = fresh(owed)
    assert (case.status, case.disputed_on, case.dispute_resolved_on) == ("disputed", D(2026, 10, 11), None)
    assert api_client(owed.guard.username).post(f"{url}/end-dispute", json={}).status_code == 403
    assert client.post("/api/v1/billing/dunning-cases/999999/dispute", json={"reason": "x"}).status_code == 404
    # ended, a new dispute may not reach back over days already accruing again
    assert client.post(f"{url}/end-dispute", json={"on": "2026-10-21"}).status_code == 200
    r = client.post(f"{url}/dispute", json={"reason": "x", "on": "2026-10-15"})
    assert r.status_code == 422 and r.json["error"]["field"] == "on"


def test_a_closed_case_cannot_be_disputed(owed, api_client):
    owed.case.status = "closed"
    owed.session.flush()
    r = api_client(owed.specialist.username).post(f"/api/v1/billing/dunning-cases/{owed.case.id}/dispute",
                                                  json={"reason": "x"})
    assert r.status_code == 409 and r.json["error"]["field"] == "case"


# --- the screen ----------------------------------------------------------------------------------------


@pytest.fixture
def screen(owed, wuye):
    from core.web.app import create_app
    from core.web.context import session_stamp

    conn = owed.session.connection()
    app = create_app(wuye, testing=True, session_factory=lambda: Session(
        bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False, info={"wuye": wuye}))
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["uid"], cookie["pwv"] = owed.specialist.id, session_stamp(owed.specialist)
    return client


def test_the_case_page_marks_and_ends_a_dispute(owed, screen):
    url = f"/admin/billing_dunning_cases/details/?id={owed.case.id}"
    text = screen.get(url).get_data(as_text=True)
    assert 'id="dispute-form"' in text and 'id="end-dispute-form"' not in text
    r = screen.post(f"/admin/billing_dunning_cases/dispute/{owed.case.id}", data={"on": "2026-10-11", "reason": ""})
    assert r.status_code == 422 and 'id="dispute-error"' in r.get_data(as_text=True)
    assert fresh(owed).status == "open"
    r = screen.post(f"/admin/billing_dunning_cases/dispute/{owed.case.id}",
                    data={"on": "2026-10-11", "reason": "未签书面服务合同"})
    assert r.status_code == 302
    text = screen.get(r.headers["Location"]).get_data(as_text=True)
    assert 'id="end-dispute-form"' in text and "2026-10-11" in text and "未签书面服务合同" in text
    r = screen.post(f"/admin/billing_dunning_cases/end-dispute/{owed.case.id}", data={"on": "2026-10-05"})
    assert r.status_code == 422 and "2026-10-11" in r.get_data(as_text=True)
    r = screen.post(f"/admin/billing_dunning_cases/end-dispute/{owed.case.id}",
                    data={"on": "2026-10-21", "status": "promised"})
    assert r.status_code == 302
    case = fresh(owed)
    assert (case.status, case.dispute_resolved_on) == ("promised", D(2026, 10, 21))
    assert billing.assess_late_fees(owed.session, owed.estate, "2026-10", "0")["amount_fen"] == 2910
