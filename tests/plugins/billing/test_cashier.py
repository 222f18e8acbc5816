"""The cashier desk (收银台): open lines by period, paying ticked lines or oldest first, change due,
the confirmation for a surplus, 红冲 with a voided receipt and a second person, charge reversal, and the
daily close (日清) that freezes a cashier's day. Services, API and screen."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import estate_today
from core.errors import ConfirmationRequired, Conflict, ValidationError
from core.security.passwords import hash_password
from plugins.billing import cashier, daily_close
from plugins.billing import services as billing
from plugins.billing.models import DailyClose, Payment, Receipt, ReceiptVoid
from plugins.billing.payments import line_status

from .helpers import item


@pytest.fixture
def desk(bt):
    """Unit 101 owes 100.00 (2026-09), 200.00 (2026-10) and 300.00 (2026-11); finance and the manager
    may reverse (the manager with a real password, to confirm as second person)."""
    s = bt.session
    item(s, bt.estate, "svc", price="0", basis="fixed", category="other", cycle="one_off")
    bt.unit = bt.units["101"]
    bt.lines = [billing.post_charge(s, bt.cashier, unit=bt.unit, fee_item_code="svc", amount_fen=fen,
                                    source=f"test:desk:{i}", period=f"2026-{9 + i:02d}",
                                    due_on=dt.date(2026, 9 + i, 15))
                for i, fen in enumerate((10000, 20000, 30000))]
    bt.manager.password_hash = hash_password("second-pw")
    bt.finance.password_hash = hash_password("finance-pw")
    s.flush()
    bt.today = estate_today(s, bt.estate)
    return bt


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _pay(bt, **kw):
    data = {"unit_id": bt.unit.id, "method": "cash", "payer": "张三", "amount_fen": 10000, "lines": None,
            "oldest_first": True, "tendered_fen": None, "confirm": False, **kw}
    return cashier.take_payment(bt.session, bt.cashier, data)


def test_open_items_are_grouped_by_period_oldest_first(desk):
    found = cashier.open_items(desk.session, desk.unit)
    assert [g["period"] for g in found["groups"]] == ["2026-09", "2026-10", "2026-11"]
    assert [g["open_fen"] for g in found["groups"]] == [10000, 20000, 30000]
    assert found["open_fen"] == 60000 and found["prepaid_fen"] == 0


def test_ticked_lines_and_change_due_for_cash(desk):
    done = _pay(desk, lines=[desk.lines[2].id], oldest_first=False, amount_fen=30000, tendered_fen=35000)
    assert done["change_fen"] == 5000 and done["receipt"].amount_fen == 30000
    assert line_status(desk.session, desk.lines[2])["open_fen"] == 0
    assert line_status(desk.session, desk.lines[0])["open_fen"] == 10000  # the oldest stays open


def test_paying_more_than_is_open_needs_confirmation_and_writes_nothing(desk):
    before = _count(desk.session, Payment), _count(desk.session, Receipt)
    with pytest.raises(ConfirmationRequired) as err:
        _pay(desk, amount_fen=70000)
    assert "¥100.00" in err.value.message.en and "prepaid" in err.value.message.en
    assert (_count(desk.session, Payment), _count(desk.session, Receipt)) == before
    done = _pay(desk, amount_fen=70000, confirm=True)
    assert done["payment"].to_prepaid_fen == 10000


def test_reversal_voids_the_receipt_and_links_it(desk):
    pay = _pay(desk, amount_fen=10000)["payment"]
    rev = cashier.reverse_payment_at_desk(desk.session, desk.finance, pay.id, {"reason": "收错房号"})
    void = desk.session.scalars(select(ReceiptVoid)).one()
    receipt = desk.session.scalars(select(Receipt).where(Receipt.payment_id == pay.id)).one()
    assert (void.receipt_id, void.payment_id, void.reversal_id, void.reason) == (receipt.id, pay.id, rev.id, "收错房号")
    assert rev.amount_fen == -10000 and line_status(desk.session, desk.lines[0])["open_fen"] == 10000


def test_a_reversal_of_a_reversed_payment_is_refused_and_writes_nothing(desk):
    pay = _pay(desk, amount_fen=10000)["payment"]
    rev = cashier.reverse_payment_at_desk(desk.session, desk.finance, pay.id, {"reason": "错收"})
    before = _count(desk.session, Payment), _count(desk.session, ReceiptVoid)
    with pytest.raises(Conflict, match="already reversed"):
        cashier.reverse_payment_at_desk(desk.session, desk.finance, pay.id, {"reason": "again"})
    with pytest.raises(Conflict, match="itself a reversal"):
        cashier.reverse_payment_at_desk(desk.session, desk.finance, rev.id, {"reason": "again"})
    assert (_count(desk.session, Payment), _count(desk.session, ReceiptVoid)) == before


def test_second_person_when_the_company_asks_for_it(desk, wuye, monkeypatch):
    monkeypatch.setitem(wuye.registry.plugin_settings, "billing", {**billing_settings_defaults(),
                                                                     "reversal_needs_second_person": True})
    pay = _pay(desk, amount_fen=10000)["payment"]
    s = desk.session
    with pytest.raises(ValidationError) as err:  # nobody confirmed
        cashier.reverse_payment_at_desk(s, desk.finance, pay.id, {"reason": "错收"})
    assert err.value.field == "second_person"
    with pytest.raises(ValidationError) as err:  # the first person cannot be the second
        cashier.reverse_payment_at_desk(s, desk.finance, pay.id, {"reason": "错收", "second_username": "finance1",
                                                                 "second_password": "finance-pw"})
    assert err.value.field == "second_username" and "本人" in err.value.errors["second_username"][0].zh
    with pytest.raises(ValidationError) as err:  # a wrong password says nothing about which part is wrong
        cashier.reverse_payment_at_desk(s, desk.finance, pay.id, {"reason": "错收", "second_username": "manager1",
                                                                 "second_password": "nope"})
    assert err.value.field == "second_username"
    assert _count(s, ReceiptVoid) == 0 and s.get(Payment, pay.id).reversed_at is None
    rev = cashier.reverse_payment_at_desk(s, desk.finance, pay.id, {"reason": "错收", "second_username": "manager1",
                                                                   "second_password": "second-pw"})
    assert s.scalars(select(ReceiptVoid)).one().second_person_id == desk.manager.id and rev.amount_fen == -10000


def test_guessing_a_second_persons_password_is_limited_like_a_login(desk, wuye, monkeypatch):
    """Five wrong passwords for one colleague from one cashier lock the check (the login limits), even for
    the right password afterwards; each failure is a login-attempt row, kept although the request fails."""
    from core.context import run_kept
    from core.models.access import LoginAttempt

    monkeypatch.setitem(wuye.registry.plugin_settings, "billing", {**billing_settings_defaults(),
                                                                     "reversal_needs_second_person": True})
    pay = _pay(desk, amount_fen=10000)["payment"]
    s = desk.session
    for counted in range(5):
        with pytest.raises(ValidationError, match="wrong"):
            cashier.reverse_payment_at_desk(s, desk.finance, pay.id, {"reason": "错收", "second_username": "manager1",
                                                                     "second_password": "guess"})
        assert _count(s, LoginAttempt) == counted  # not in the failing transaction: written after it ends
        assert run_kept(s) == 1  # what the web request does at its end, after its rollback
    assert _count(s, LoginAttempt) == 5
    with pytest.raises(ValidationError, match="too many"):
        cashier.reverse_payment_at_desk(s, desk.finance, pay.id, {"reason": "错收", "second_username": "manager1",
                                                                 "second_password": "second-pw"})
    assert _count(s, ReceiptVoid) == 0 and s.get(Payment, pay.id).reversed_at is None


def billing_settings_defaults() -> dict:
    from plugins.billing.settings import DEFAULTS

    return dict(DEFAULTS)


def test_charge_reversal_from_the_desk(desk):
    rev = cashier.reverse_charge_at_desk(desk.session, desk.finance, desk.lines[1].id, {"reason": "重复计费"})
    assert rev.amount_fen == -20000 and rev.reverses_id == desk.lines[1].id
    assert [g["period"] for g in cashier.open_items(desk.session, desk.unit)["groups"]] == ["2026-09", "2026-11"]


def test_daily_close_totals_by_method_receipts_and_voids(desk):
    s, day = desk.session, desk.today
    a = _pay(desk, amount_fen=10000, paid_on=day)["payment"]
    b = _pay(desk, amount_fen=20000, method="wechat", paid_on=day)["payment"]
    # the cashier's mistake, reversed by finance: finance's reversal is finance's, not the cashier's
    cashier.reverse_payment_at_desk(s, desk.finance, b.id, {"reason": "重复扫码"})
    close = daily_close.close_day(s, desk.cashier, estate=desk.estate, day=day)
    assert (close.payments, close.received_fen, close.cash_fen, close.wechat_fen) == (2, 30000, 10000, 20000)
    assert (close.first_receipt_no, close.last_receipt_no) == (a.receipt_no, b.receipt_no)
    fin = daily_close.close_day(s, desk.cashier, estate=desk.estate, day=day, cashier=desk.finance.id) \
        if False else daily_close.close_day(s, desk.finance, estate=desk.estate, day=day)
    assert (fin.voids, fin.voided_fen, fin.net_fen, fin.wechat_fen) == (1, 20000, -20000, -20000)


def test_a_closed_day_refuses_payments_and_reversals_dated_in_it(desk):
    s, day = desk.session, desk.today
    pay = _pay(desk, amount_fen=10000, paid_on=day - dt.timedelta(days=1))["payment"]
    daily_close.close_day(s, desk.cashier, estate=desk.estate, day=day - dt.timedelta(days=1))
    before = _count(s, Payment)
    with pytest.raises(Conflict) as err:  # backdating into the closed day
        _pay(desk, amount_fen=10000, paid_on=day - dt.timedelta(days=2))
    assert err.value.field == "paid_on" and "日清" in err.value.message.zh
    assert _count(s, Payment) == before
    assert _pay(desk, amount_fen=10000, paid_on=day)["payment"].paid_on == day  # today is still open
    daily_close.close_day(s, desk.finance, estate=desk.estate, day=day)
    with pytest.raises(Conflict) as err:  # finance closed today: its reversal (dated today) is refused
        cashier.reverse_payment_at_desk(s, desk.finance, pay.id, {"reason": "错收"})
    assert err.value.field == "paid_on" and _count(s, Payment) == before + 1
    with pytest.raises(Conflict):  # and a day cannot be closed twice
        daily_close.close_day(s, desk.finance, estate=desk.estate, day=day)
    with pytest.raises(ValidationError):  # nor a day that has not come
        daily_close.close_day(s, desk.cashier, estate=desk.estate, day=day + dt.timedelta(days=1))
    assert _count(s, DailyClose) == 2


def test_search_units_by_room_label(desk):
    hits = cashier.search_units(desk.session, desk.cashier, f"{desk.b1.code}-101")
    assert [u.id for u in hits] == [desk.unit.id]


# --- the API -----------------------------------------------------------------------------------


def test_api_takes_a_payment_and_answers_409_for_a_surplus(desk, api_client):
    client = api_client(desk.cashier.username)
    body = {"unit_id": desk.unit.id, "oldest_first": True, "method": "cash", "payer": "张三",
            "amount_fen": 70000}
    r = client.post("/api/v1/billing/cashier/payments", json=body)
    assert r.status_code == 409 and r.json["error"]["code"] == "ConfirmationRequired"
    r = client.post("/api/v1/billing/cashier/payments", json={**body, "amount_fen": 30000, "tendered_fen": 40000})
    assert r.status_code == 201, r.json
    assert (r.json["amount_fen"], r.json["change_fen"]) == (30000, 10000)
    assert r.json["receipt_no"].startswith("RC-") and r.json["receipt_url"].startswith("/admin/documents/billing.receipt/")
    r = client.get(f"/api/v1/billing/cashier/units/{desk.unit.id}")
    assert r.status_code == 200 and r.json["open_fen"] == 30000
    assert [p["period"] for p in r.json["periods"]] == ["2026-11"]
    lines = client.get(f"/api/v1/billing/charge-lines?unit_id={desk.unit.id}&status=open").json["items"]
    assert [(x["id"], x["open_fen"]) for x in lines] == [(desk.lines[2].id, 30000)]
    paid = client.get(f"/api/v1/billing/charge-lines?unit_id={desk.unit.id}&status=paid").json["items"]
    assert sorted(x["id"] for x in paid) == [desk.lines[0].id, desk.lines[1].id]
    assert client.get("/api/v1/billing/charge-lines?status=maybe").status_code == 422


def test_api_reversals_and_daily_close(desk, api_client):
    cash = api_client(desk.cashier.username)
    pay = cash.post("/api/v1/billing/cashier/payments", json={"unit_id": desk.unit.id, "method": "alipay",
                                                              "amount_fen": 10000}).json
    fin = api_client(desk.finance.username)
    assert cash.post(f"/api/v1/billing/payments/{pay['id']}/reverse", json={"reason": "x"}).status_code == 403
    assert fin.post(f"/api/v1/billing/payments/{pay['id']}/reverse", json={}).status_code == 422
    r = fin.post(f"/api/v1/billing/payments/{pay['id']}/reverse", json={"reason": "错收"})
    assert r.status_code == 201 and r.json["amount_fen"] == -10000 and r.json["reverses_id"] == pay["id"]
    r = fin.post(f"/api/v1/billing/payments/{pay['id']}/reverse", json={"reason": "again"})
    assert r.status_code == 409
    r = fin.post(f"/api/v1/billing/charge-lines/{desk.lines[2].id}/reverse", json={"reason": "重复计费"})
    assert r.status_code == 201 and r.json["amount_fen"] == -30000
    r = cash.post("/api/v1/billing/daily-closes", json={"estate_id": desk.estate.id})
    assert r.status_code == 201, r.json
    assert (r.json["alipay_fen"], r.json["payments"]) == (10000, 1)
    r = cash.post("/api/v1/billing/cashier/payments", json={"unit_id": desk.unit.id, "method": "cash",
                                                            "amount_fen": 100})
    assert r.status_code == 409 and r.json["error"]["field"] == "paid_on"


# --- the screen --------------------------------------------------------------------------------


@pytest.fixture
def screen(desk, wuye):
    from core.web.app import create_app
    from core.web.context import session_stamp

    conn = desk.session.connection()
    app = create_app(wuye, testing=True, session_factory=lambda: Session(
        bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False, info={"wuye": wuye}))
    client = app.test_client()

    def login(user):
        with client.session_transaction() as cookie:
            cookie["uid"], cookie["pwv"] = user.id, session_stamp(user)
        return client

    return login


def _csrf_off(client):
    client.application.config["WTF_CSRF_ENABLED"] = False


def test_the_desk_page_pays_and_opens_the_receipt(desk, screen):
    client = screen(desk.cashier)
    _csrf_off(client)
    page = client.get(f"/admin/billing_cashier/?unit_id={desk.unit.id}").get_data(as_text=True)
    assert "2026-09" in page and "¥600.00" in page
    assert client.get(f"/admin/billing_cashier/new/?unit_id={desk.unit.id}").status_code == 302
    r = client.post("/admin/billing_cashier/pay", data={"unit_id": desk.unit.id, "method": "cash",
                                                        "amount": "700.00", "oldest_first": "1"})
    assert r.status_code == 409 and "预存" in r.get_data(as_text=True)
    assert _count(desk.session, Payment) == 0
    r = client.post("/admin/billing_cashier/pay", data={"unit_id": desk.unit.id, "method": "cash",
                                                        "amount": "100.00", "tendered": "150", "oldest_first": "1"})
    assert r.status_code == 302 and "/admin/documents/billing.receipt/" in r.headers["Location"]
    receipt = client.get(r.headers["Location"])
    assert receipt.status_code == 200 and "壹佰元整" in receipt.get_data(as_text=True), receipt.get_data(as_text=True)
    assert desk.session.scalars(select(Payment)).one().amount_fen == 10000


def test_the_desk_reverses_with_a_reason(desk, screen):
    pay = _pay(desk, amount_fen=10000)["payment"]
    client = screen(desk.finance)
    _csrf_off(client)
    r = client.post(f"/admin/billing_cashier/reverse-payment/{pay.id}", data={"unit_id": desk.unit.id, "reason": ""})
    assert r.status_code == 422 and desk.session.get(Payment, pay.id).reversed_at is None
    r = client.post(f"/admin/billing_cashier/reverse-payment/{pay.id}", data={"unit_id": desk.unit.id,
                                                                             "reason": "错收"})
    assert r.status_code == 302
    page = client.get(f"/admin/billing_cashier/?unit_id={desk.unit.id}").get_data(as_text=True)
    assert "作废" in page or "void" in page


def test_the_daily_close_sheet_and_the_void_receipt_print(desk):
    from core.documents import render_html

    s, day = desk.session, desk.today
    pay = _pay(desk, amount_fen=10000, paid_on=day)["payment"]
    rev = cashier.reverse_payment_at_desk(s, desk.finance, pay.id, {"reason": "收错房号"})
    receipt = s.scalars(select(Receipt).where(Receipt.payment_id == pay.id)).one()
    html = render_html(s, desk.finance, "billing.receipt", receipt, lang="zh_CN")
    assert "作废" in html and rev.receipt_no in html and "收错房号" in html
    close = daily_close.close_day(s, desk.finance, estate=desk.estate, day=day)
    sheet = render_html(s, desk.finance, "billing.daily_close", close, lang="zh_CN")
    assert "收费日清表" in sheet and receipt.number in sheet and "-100.00" in sheet


def test_the_charge_list_filters_by_unit_and_shows_what_is_open(desk, screen):
    _pay(desk, amount_fen=10000)
    client = screen(desk.cashier)
    page = client.get("/admin/billing_charge_lines/")
    assert page.status_code == 200, page.get_data(as_text=True)[:3000]
    text = page.get_data(as_text=True)
    assert "未缴金额" in text or "Open" in text
    import re as _re
    cells = _re.findall(r'col-open_fen">\s*([^<]*?)\s*<', text)
    assert sorted(c for c in cells if c != "未缴金额") == ["¥200.00", "¥300.00", "已缴清"], cells
