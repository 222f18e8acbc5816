"""Billing's printable documents: the receipt (收款收据) read back from its PDF, the deposit receipt,
the payment notice (缴费通知单) per unit and per building, numbering and reprints (补打)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from core.documents import batch_records, issues_of, render_batch_pdf, render_html, render_pdf
from core.errors import NotFound, PermissionDenied, ValidationError
from plugins.billing import services as billing
from plugins.billing.models import Receipt

from .helpers import charge, item

NOW = dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC)  # 2026-12-05 11:00 in Shanghai


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def billed(bt):
    """Units 101, 102 and 103 of building 1 billed for 2026-12 (and 101 still owing 2026-11); 101 pays
    1,000.50 in cash, issuing its receipt."""
    s = bt.session
    item(s, bt.estate, "svc", price="0", basis="fixed", category="other", cycle="one_off")
    u101, u102, u103 = bt.units["101"], bt.units["102"], bt.units["103"]
    bt.old = charge(s, u101, "svc", 30000, due=dt.date(2026, 11, 15), period="2026-11", tag="nov")
    for unit, fen in ((u101, 100050), (u102, 89370), (u103, 12345)):
        charge(s, unit, "svc", fen, due=dt.date(2026, 12, 15), period="2026-12", tag="dec")
    bt.payment = billing.record_payment(s, bt.cashier, unit=u101, amount_fen=100050, method="cash",
                                        payer="张三", paid_on=dt.date(2026, 12, 4))
    bt.receipt = s.query(Receipt).filter_by(payment_id=bt.payment.id).one()
    return bt


def test_receipt_pdf_reads_back_number_unit_amount_and_capital(billed):
    s = billed.session
    data = render_pdf(s, billed.cashier, "billing.receipt", billed.receipt, lang="zh_CN", now=NOW)
    assert data.startswith(b"%PDF")
    (text,) = pdf_text(data)
    assert billed.receipt.number in text and billed.receipt.number.startswith("RC-2026-")
    assert billed.units["101"].label in text
    assert "1,000.50" in text
    assert "大写" in text and "壹仟元伍角整" in text.replace(" ", "").replace("\n", "")
    assert "收款收据" in text and "张三" in text and "盖章处" in text


def test_receipt_reprint_keeps_the_number_and_says_reprint(billed):
    s = billed.session
    first = render_html(s, billed.cashier, "billing.receipt", billed.receipt.id, lang="zh_CN", now=NOW)
    again = render_html(s, billed.cashier2, "billing.receipt", billed.receipt.id, lang="zh_CN", now=NOW)
    assert 'id="reprint"' not in first and "补打" not in first
    assert 'id="reprint"' in again and "补打" in again and "副本 1" in again
    assert billed.receipt.number in first and billed.receipt.number in again
    rows = issues_of(s, "billing.receipt", billed.receipt)
    assert [(r.number, r.copy_no, r.issued_by_id) for r in rows] == [
        (billed.receipt.number, 0, billed.cashier.id), (billed.receipt.number, 1, billed.cashier2.id)]
    assert rows[1].reprint_of_id == rows[0].id


def test_the_same_cashier_printing_again_at_once_is_one_issue_and_later_a_reprint(billed):
    s = billed.session
    first = render_html(s, billed.cashier, "billing.receipt", billed.receipt.id, lang="zh_CN", now=NOW)
    jammed = render_html(s, billed.cashier, "billing.receipt", billed.receipt.id, lang="zh_CN",
                         now=NOW + dt.timedelta(minutes=5))
    later = render_html(s, billed.cashier, "billing.receipt", billed.receipt.id, lang="zh_CN",
                        now=NOW + dt.timedelta(minutes=16))
    assert "补打" not in first and "补打" not in jammed and "补打" in later and "副本 1" in later
    assert [r.copy_no for r in issues_of(s, "billing.receipt", billed.receipt)] == [0, 1]


def test_receipt_checks_permission_and_estate(billed, make_estate):
    s = billed.session
    with pytest.raises(PermissionDenied):  # a guard does not take money
        render_html(s, billed.guard, "billing.receipt", billed.receipt, now=NOW)
    from .helpers import staff

    other = staff(s, "cashier_x", "cashier", estates=[make_estate("X")])
    with pytest.raises(NotFound):  # another estate's cashier does not see the receipt
        render_html(s, other, "billing.receipt", billed.receipt.id, now=NOW)
    assert issues_of(s, "billing.receipt", billed.receipt) == []


def test_payment_notice_per_unit_is_numbered_per_period(billed):
    s = billed.session
    u101 = billed.units["101"]
    html = render_html(s, billed.specialist, "billing.payment_notice", u101, params={"period": "2026-12"},
                       lang="zh_CN", now=NOW)
    assert "缴费通知单" in html and "PN-2026-000001" in html
    # the 1,000.50 paid went to November's 300.00 first (oldest due), so 300.00 of December is open
    assert "往期欠费" not in html and "¥300.00" in html and "叁佰元整" in html
    again = render_html(s, billed.specialist, "billing.payment_notice", u101.id, params={"period": "2026-12"},
                        lang="zh_CN", now=NOW + dt.timedelta(hours=1))  # printed again later: a reprint
    assert "PN-2026-000001" in again and "补打" in again
    nov = render_html(s, billed.specialist, "billing.payment_notice", u101, params={"period": "2026-11"},
                      lang="en", now=NOW)
    assert "PN-2026-000002" in nov and "Payment notice" in nov and "Total due" in nov


def test_payment_notice_refuses_a_bad_period_and_unknown_parameters_logging_nothing(billed):
    s = billed.session
    u101 = billed.units["101"]
    with pytest.raises(ValidationError) as exc:
        render_html(s, billed.specialist, "billing.payment_notice", u101, params={"period": "2026-13"}, now=NOW)
    assert exc.value.field == "period" and "YYYY-MM" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        render_html(s, billed.specialist, "billing.payment_notice", u101, params={"month": "2026-12"}, now=NOW)
    assert "month" in exc.value.errors
    with pytest.raises(ValidationError) as exc:  # nothing billed for that period
        render_html(s, billed.specialist, "billing.payment_notice", billed.units["201"], params={"period": "2026-12"},
                    now=NOW)
    assert exc.value.field == "period"
    assert issues_of(s, "billing.payment_notice", u101, key="period=2026-12") == []


def test_batch_notices_of_a_building_one_page_per_unit(billed):
    s = billed.session
    units = batch_records(s, billed.specialist, "billing.payment_notice", billed.b1.id, params={"period": "2026-12"})
    assert [u.room_no for u in units] == ["101", "102", "103"]
    assert batch_records(s, billed.specialist, "billing.payment_notice", billed.b2.id, params={"period": "2026-12"}) == []
    ticks = []
    data = render_batch_pdf(s, billed.specialist, "billing.payment_notice", units, params={"period": "2026-12"},
                            lang="zh_CN", now=NOW, progress=lambda: ticks.append(1))
    pages = pdf_text(data)
    assert len(pages) == 3 and len(ticks) == 3
    for unit, text in zip(units, pages, strict=True):
        assert unit.label in text and "缴费通知单" in text
    assert "893.70" in pages[1] and "捌佰玖拾叁元柒角整" in pages[1].replace(" ", "").replace("\n", "")


def test_deposit_receipt(billed):
    s = billed.session
    entry = billing.hold_deposit(s, billed.cashier, source="test:deposit:1", unit=billed.units["102"],
                                 amount_fen=200000, reason="装修押金 renovation deposit")
    receipt = s.query(Receipt).filter_by(deposit_entry_id=entry.id).one()
    html = render_html(s, billed.cashier, "billing.deposit_receipt", receipt, lang="zh_CN", now=NOW)
    assert "押金收据" in html and "贰仟元整" in html and receipt.number in html and "装修押金" in html
    with pytest.raises(NotFound):  # a deposit's receipt is not a payment receipt
        render_html(s, billed.cashier, "billing.receipt", receipt, now=NOW)
