"""Deposit corrections from the screen and the API (issue 16): a deduction with the manager approving at
the desk by their own login and evidence (files or a record), a refund with payee and method, the
reversal of an entry; hand-computed balances, receipts issued, every bad input refused naming its field
with nothing written."""

from __future__ import annotations

import io
import re
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import list_attachments
from core.models.access import LoginAttempt
from core.security.passwords import hash_password
from plugins.billing import services as billing
from plugins.billing.models import DepositEntry, Receipt

SRC = "renovation:application:91"


def png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def held(bt):
    """2000.00 held (WeChat Pay) for a renovation of 101; the manager and finance have real passwords
    (to approve as the second person)."""
    s = bt.session
    bt.hold = billing.hold_deposit(s, bt.cashier, unit=bt.units["101"], amount_fen=200000, source=SRC,
                                   method="wechat", reason="装修押金")
    bt.manager.password_hash = hash_password("mgr-pw")
    bt.finance.password_hash = hash_password("fin-pw")
    s.flush()
    return bt


def balance(bt) -> int:
    bt.session.expire_all()
    return billing.deposit_balance_fen(bt.session, source=SRC)


def entries(bt) -> int:
    return bt.session.scalar(select(func.count(DepositEntry.id)).where(DepositEntry.source == SRC))


def receipts(bt) -> int:
    return bt.session.scalar(select(func.count(Receipt.id)))


def approve(**kw) -> dict:
    return {"second_username": "manager1", "second_password": "mgr-pw", **kw}


# --- the API -----------------------------------------------------------------------------------------


def test_api_deduct_refund_and_reverse_with_hand_computed_balances(held, api_client):
    cash = api_client(held.cashier.username)
    url = f"/api/v1/billing/deposits/{held.hold.id}"
    before = receipts(held)
    r = cash.post(f"{url}/deduct", json=approve(amount_fen=30000, reason="损坏墙面",
                                                 evidence_ref="renovation:inspection:7"))
    assert r.status_code == 201, r.json
    # 2000.00 held - 300.00 deducted = 1700.00
    assert (r.json["kind"], r.json["amount_fen"], r.json["balance_fen"]) == ("deduct", 30000, 170000)
    assert r.json["approved_by_id"] == held.manager.id and r.json["receipt_no"].startswith("RC-")
    assert r.json["receipt_url"].startswith("/admin/documents/billing.deposit_receipt/")
    assert receipts(held) == before + 1  # the deduction is income with its own receipt
    deduction = held.session.get(DepositEntry, r.json["id"])
    assert "renovation:inspection:7" in deduction.reason

    r = cash.post(f"{url}/refund", json=approve(amount_fen=50000, payee="李四", method="transfer"))
    assert r.status_code == 201, r.json
    # 1700.00 - 500.00 refunded = 1200.00
    assert (r.json["payee"], r.json["method"], r.json["balance_fen"]) == ("李四", "transfer", 120000)
    assert receipts(held) == before + 1  # paying money out issues no receipt

    fin = api_client(held.finance.username)
    r = fin.post(f"/api/v1/billing/deposits/{deduction.id}/reverse", json={"reason": "误扣，业主已自行修复"})
    assert r.status_code == 201, r.json
    # the deduction's 300.00 is held again: 1200.00 + 300.00 = 1500.00
    assert (r.json["kind"], r.json["reverses_id"], r.json["balance_fen"]) == ("reversal", deduction.id, 150000)
    assert balance(held) == 150000

    # the rest, refunded by default in full, the way it was paid
    r = cash.post(f"{url}/refund", json=approve(payee="李四"))
    assert r.status_code == 201 and (r.json["amount_fen"], r.json["method"], r.json["balance_fen"]) == (
        150000, "wechat", 0)


def test_api_deduct_with_evidence_files_in_a_multipart_form(held, api_client):
    cash = api_client(held.cashier.username)
    r = cash.post(f"/api/v1/billing/deposits/{held.hold.id}/deduct", content_type="multipart/form-data",
                  data={"amount_fen": "12000", "reason": "门禁卡遗失", "second_username": "manager1",
                        "second_password": "mgr-pw", "evidence": (io.BytesIO(png()), "card.png")})
    assert r.status_code == 201, r.json
    entry = held.session.get(DepositEntry, r.json["id"])
    assert [a.filename for a in list_attachments(held.session, entry)] == ["card.png"]
    assert balance(held) == 200000 - 12000


@pytest.mark.parametrize("body, field", [
    ({"amount_fen": 30000, "evidence_ref": "x:1"}, "reason"),                          # no reason
    ({"amount_fen": 30000, "reason": "损坏"}, "evidence"),                              # no evidence
    ({"amount_fen": 300.5, "reason": "损坏", "evidence_ref": "x:1"}, "amount_fen"),     # a float
    ({"amount_fen": 200001, "reason": "损坏", "evidence_ref": "x:1"}, "amount_fen"),    # above the balance
    ({"amount_fen": 30000, "reason": "损坏", "evidence_ref": "x:1", "approved_by": 3}, "approved_by"),  # an id
])
def test_api_deduct_refuses_bad_input_naming_the_field(held, api_client, body, field):
    before = entries(held), receipts(held)
    r = api_client(held.cashier.username).post(f"/api/v1/billing/deposits/{held.hold.id}/deduct",
                                               json=approve(**body))
    assert r.status_code == 422 and r.json["error"]["field"] == field, r.json
    assert (entries(held), receipts(held)) == before and balance(held) == 200000


def test_the_approver_is_a_second_person_proven_by_their_own_login(held, api_client):
    url = f"/api/v1/billing/deposits/{held.hold.id}/deduct"
    body = {"amount_fen": 30000, "reason": "损坏墙面", "evidence_ref": "x:1"}
    cash = api_client(held.cashier.username)
    r = cash.post(url, json=body)  # nobody approved
    assert r.status_code == 422 and r.json["error"]["field"] == "second_username"
    held.cashier2.password_hash = hash_password("c2-pw")
    held.session.flush()
    r = cash.post(url, json={**body, "second_username": "cashier2", "second_password": "c2-pw"})
    assert r.status_code == 422 and "billing.approve_refund" in r.json["error"]["message"]  # not a manager
    fin = api_client(held.finance.username)  # finance may deduct and approve, but not both
    r = fin.post(url, json={**body, "second_username": "finance1", "second_password": "fin-pw"})
    assert r.status_code == 422 and "other than you" in r.json["error"]["message"]
    r = cash.post(url, json={**body, "second_username": "manager1", "second_password": "guess"})
    assert r.status_code == 422 and "wrong" in r.json["error"]["message"]
    held.session.expire_all()
    # the wrong password is counted like a failed login, although the request failed
    assert held.session.scalar(select(func.count(LoginAttempt.id))) == 1
    assert entries(held) == 1 and balance(held) == 200000


def test_api_refund_and_reverse_refusals(held, api_client):
    cash = api_client(held.cashier.username)
    url = f"/api/v1/billing/deposits/{held.hold.id}"
    r = cash.post(f"{url}/refund", json=approve(method="prepaid"))
    assert r.status_code == 422 and r.json["error"]["field"] == "method"
    r = cash.post(f"{url}/refund", json=approve(amount_fen=200001))
    assert r.status_code == 422 and r.json["error"]["field"] == "amount_fen"
    assert cash.post(f"{url}/reverse", json={"reason": "x"}).status_code == 403  # cashiers cannot reverse
    assert cash.post("/api/v1/billing/deposits/999999/refund", json=approve()).status_code == 404
    fin = api_client(held.finance.username)
    assert fin.post(f"{url}/reverse", json={}).json["error"]["field"] == "reason"
    assert entries(held) == 1
    rev = fin.post(f"{url}/reverse", json={"reason": "收错房号"}).json
    assert rev["balance_fen"] == 0  # the hold reversed: nothing held any more
    r = fin.post(f"{url}/reverse", json={"reason": "again"})
    assert r.status_code == 409 and "already reversed" in r.json["error"]["message"]
    r = fin.post(f"/api/v1/billing/deposits/{rev['id']}/reverse", json={"reason": "again"})
    assert r.status_code == 409 and "itself a reversal" in r.json["error"]["message"]
    r = cash.post(f"{url}/refund", json=approve())
    assert r.status_code == 409 and r.json["error"]["field"] == "amount_fen"  # nothing left to refund
    assert entries(held) == 2


# --- the screen ----------------------------------------------------------------------------------------


@pytest.fixture
def screen(held, wuye):
    from core.web.app import create_app
    from core.web.context import session_stamp

    conn = held.session.connection()
    app = create_app(wuye, testing=True, session_factory=lambda: Session(
        bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False, info={"wuye": wuye}))
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()

    def login(user):
        with client.session_transaction() as cookie:
            cookie["uid"], cookie["pwv"] = user.id, session_stamp(user)
        return client

    return login


def page(client, entry_id: int) -> str:
    r = client.get(f"/admin/billing_deposits/details/?id={entry_id}")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_the_record_page_deducts_with_evidence_and_the_managers_login(held, screen):
    client = screen(held.cashier)
    text = page(client, held.hold.id)
    assert 'id="deposit-desk"' in text and "¥2,000.00" in text and 'id="deduct-form"' in text
    assert "冲销" not in re.sub(r"<option.*?</option>", "", text.split('id="deposit-ledger"')[1].split("</table>")[0])
    form = {"amount": "300.00", "reason": "损坏墙面", "second_username": "manager1", "second_password": "mgr-pw",
            "evidence": (io.BytesIO(png()), "wall.png")}
    r = client.post(f"/admin/billing_deposits/deduct/{held.hold.id}", data=form, content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    done = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "¥1,700.00" in done and 'id="deduction-receipt"' in done
    deduction = held.session.scalars(select(DepositEntry).where(DepositEntry.kind == "deduct")).one()
    assert deduction.approved_by_id == held.manager.id and deduction.receipt_no in done
    assert [a.filename for a in list_attachments(held.session, deduction)] == ["wall.png"]
    link = re.search(r'href="([^"]+)" id="deduction-receipt"', done).group(1)
    printed = client.get(link)
    assert printed.status_code == 200 and "叁佰元整" in printed.get_data(as_text=True)  # 300.00 in capitals


@pytest.mark.parametrize("form, says", [
    ({"amount": "300", "reason": "", "evidence_ref": "x:1"}, "reason"),
    ({"amount": "300", "reason": "损坏"}, "证据"),
    ({"amount": "3,000", "reason": "损坏", "evidence_ref": "x:1"}, "押金余额仅 ¥2,000.00"),
    ({"amount": "1.234", "reason": "损坏", "evidence_ref": "x:1"}, "amount_fen"),
    ({"amount": "", "reason": "损坏", "evidence_ref": "x:1"}, "amount_fen"),
    ({"amount": "300", "reason": "损坏", "evidence_ref": "x:1", "second_password": "nope"}, "复核人账号或密码不正确"),
])
def test_the_screen_refuses_bad_input_and_keeps_the_form(held, screen, form, says):
    client = screen(held.cashier)
    data = {"second_username": "manager1", "second_password": "mgr-pw", **form}
    r = client.post(f"/admin/billing_deposits/deduct/{held.hold.id}", data=data)
    text = r.get_data(as_text=True)
    assert r.status_code in (409, 422) and 'id="deposit-error"' in text and says in text, text[:3000]
    assert '<details id="deduct-box" open' in text  # the form stays open with what was typed
    assert entries(held) == 1 and balance(held) == 200000


def test_the_screen_refunds_and_reverses(held, screen):
    client = screen(held.cashier)
    r = client.post(f"/admin/billing_deposits/refund/{held.hold.id}",
                    data={"amount": "500", "payee": "王五", "method": "cash", "second_username": "manager1",
                          "second_password": "mgr-pw"})
    assert r.status_code == 302
    refund = held.session.scalars(select(DepositEntry).where(DepositEntry.kind == "refund")).one()
    assert (refund.amount_fen, refund.payee, refund.method) == (50000, "王五", "cash")
    assert balance(held) == 150000  # 2000.00 - 500.00
    fin = screen(held.finance)
    text = page(fin, held.hold.id)
    assert "王五" in text and "¥1,500.00" in text
    r = fin.post(f"/admin/billing_deposits/reverse/{refund.id}", data={"reason": "", "back": held.hold.id})
    assert r.status_code == 422 and entries(held) == 2
    r = fin.post(f"/admin/billing_deposits/reverse/{refund.id}", data={"reason": "退款未到账", "back": held.hold.id})
    assert r.status_code == 302 and f"id={held.hold.id}" in r.headers["Location"]
    assert balance(held) == 200000  # the refund reversed: all 2000.00 held again
    assert "已冲销" in page(fin, held.hold.id)


def test_a_wrong_password_on_the_screen_is_counted_though_nothing_else_is_written(held, screen):
    client = screen(held.cashier)
    r = client.post(f"/admin/billing_deposits/refund/{held.hold.id}",
                    data={"payee": "王五", "second_username": "manager1", "second_password": "guess"})
    assert r.status_code == 422 and 'id="refund-box" open' in r.get_data(as_text=True)
    held.session.expire_all()
    assert held.session.scalar(select(func.count(LoginAttempt.id))) == 1  # like a failed login
    assert entries(held) == 1 and balance(held) == 200000
