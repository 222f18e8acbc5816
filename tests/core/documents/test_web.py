"""Documents on the web: the admin print view and PDF, the print button on record pages, the API;
a cashier of estate B gets 404 on estate A's receipt, a guard without the permission 403."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.models import Building, Estate, Role, StaffUser, Unit, UnitStatus

PASSWORD = "doc-pass-123"


def cheap_hash(password: str) -> str:
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=64, parallelism=1).hash(password)


def login(app, username: str):
    client = app.test_client()
    page = client.get("/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', page.text)
    r = client.post("/login", data={"username": username, "password": PASSWORD,
                                    "csrf_token": token.group(1) or token.group(2), "next": ""})
    assert r.status_code == 302, r.text[:300]
    return client


@pytest.fixture
def desk(wuye, factory):
    """Estates DA and DB, each with a unit that paid 1,000.50 (a receipt each); cashiers of each estate
    and a guard of DA (no billing.post_payment)."""
    from core.seed import seed_all
    from plugins.billing import services as billing
    from plugins.billing.models import ChargeLine, FeeItem, Receipt

    s = factory()
    seed_all(s, wuye)
    fee = s.scalar(select(FeeItem).where(FeeItem.active.is_(True)).order_by(FeeItem.id).limit(1))
    roles = {r.name: r for r in s.scalars(select(Role))}
    out = {}
    for code in ("DA", "DB"):
        estate = Estate(code=code, name=f"文档小区 {code}", office_phone="0571-8888 0000")
        s.add(estate)
        s.flush()
        building = Building(estate_id=estate.id, code="1", name="1栋")
        s.add(building)
        s.flush()
        unit = Unit(estate_id=estate.id, building_id=building.id, room_no="101", floor=1,
                    built_area=Decimal("100.00"), interior_area=Decimal("80.00"), status=UnitStatus.occupied,
                    delivered_on=dt.date(2025, 1, 1))
        s.add(unit)
        s.flush()
        s.add(ChargeLine(estate_id=estate.id, unit_id=unit.id, fee_item_id=fee.id, period="2026-12", origin="posted",
                         amount_fen=100050, due_on=dt.date(2026, 12, 15), posted_on=dt.date(2026, 12, 1),
                         source=f"test:doc:{code}"))
        cashier = StaffUser(username=f"cashier_{code.lower()}", full_name=f"收银员{code}",
                            password_hash=cheap_hash(PASSWORD), roles=[roles["cashier"]], estates=[estate])
        s.add(cashier)
        s.flush()
        payment = billing.record_payment(s, cashier, unit=unit, amount_fen=100050, method="cash", payer="张三",
                                         paid_on=dt.date(2026, 12, 4))
        receipt = s.scalar(select(Receipt).where(Receipt.payment_id == payment.id))
        out[code] = {"payment": payment.id, "receipt": receipt.id, "number": receipt.number, "unit": unit.id,
                     "label": unit.label}
        if code == "DA":
            s.add(StaffUser(username="guard_da", full_name="guard", password_hash=cheap_hash(PASSWORD),
                            roles=[roles["guard"]], estates=[estate]))
    s.commit()
    s.close()
    return out


ZH = {"Accept-Language": "zh-CN"}


def test_print_view_in_chinese_with_print_button_and_reprint(app, desk):
    a = desk["DA"]
    client = login(app, "cashier_da")
    page = client.get(f"/admin/documents/billing.receipt/{a['receipt']}/", headers=ZH)
    assert page.status_code == 200
    assert "收款收据" in page.text and a["number"] in page.text and "壹仟元伍角整" in page.text
    assert 'onclick="window.print()"' in page.text and ">打印<" in page.text and "下载PDF" in page.text
    assert f"/admin/documents/billing.receipt/{a['receipt']}.pdf?download=1" in page.text
    assert "盖章处" in page.text and "补打" not in page.text
    again = client.get(f"/admin/documents/billing.receipt/{a['receipt']}/", headers=ZH)
    assert "补打" not in again.text and a["number"] in again.text  # the same clerk again at once: one print
    pdf = client.get(f"/admin/documents/billing.receipt/{a['receipt']}.pdf?download=1", headers=ZH)
    assert pdf.status_code == 200 and "补打" not in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()


def test_admin_pdf_reads_back(app, desk):
    a = desk["DA"]
    r = login(app, "cashier_da").get(f"/admin/documents/billing.receipt/{a['receipt']}.pdf?download=1", headers=ZH)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert "attachment" in r.headers["Content-Disposition"]
    text = PdfReader(io.BytesIO(r.data)).pages[0].extract_text()
    assert a["number"] in text and a["label"] in text and "1,000.50" in text
    assert "壹仟元伍角整" in text.replace(" ", "").replace("\n", "")


def test_other_estates_staff_get_404_and_staff_without_permission_403(app, desk, api_client):
    a = desk["DA"]
    b_client = login(app, "cashier_db")
    assert b_client.get(f"/admin/documents/billing.receipt/{a['receipt']}/").status_code == 404
    assert b_client.get(f"/admin/documents/billing.receipt/{a['receipt']}.pdf").status_code == 404
    assert b_client.get(f"/admin/documents/billing.receipt/{desk['DB']['receipt']}/").status_code == 200
    assert b_client.get("/admin/documents/billing.nothing/1/").status_code == 404
    guard = login(app, "guard_da")
    assert guard.get(f"/admin/documents/billing.receipt/{a['receipt']}/").status_code == 403
    api_b = api_client("cashier_db")
    r = api_b.get(f"/api/v1/documents/billing.receipt/{a['receipt']}.html")
    assert r.status_code == 404 and a["number"] not in r.text
    assert api_b.get(f"/api/v1/documents/billing.receipt/{a['receipt']}.pdf").status_code == 404
    assert api_client("guard_da").get(f"/api/v1/documents/billing.receipt/{a['receipt']}.html").status_code == 403
    anonymous = app.test_client().get(f"/api/v1/documents/billing.receipt/{a['receipt']}.html")
    assert anonymous.status_code == 401
    assert app.test_client().get(f"/admin/documents/billing.receipt/{a['receipt']}/").status_code == 302  # login


def test_api_lists_documents_and_serves_html_and_pdf(app, desk, api_client):
    a = desk["DA"]
    client = api_client("cashier_da")
    listed = {d["name"]: d for d in client.get("/api/v1/documents").get_json()["documents"]}
    assert listed["billing.receipt"]["allowed"] is True and listed["billing.receipt"]["model"] == "billing_receipts"
    assert listed["billing.payment_notice"]["params"][0]["name"] == "period"
    assert listed["billing.payment_notice"]["batch"] is True
    html = client.get(f"/api/v1/documents/billing.receipt/{a['receipt']}.html?lang=en")
    assert html.status_code == 200 and "Receipt" in html.text and a["number"] in html.text
    bad = client.get(f"/api/v1/documents/billing.receipt/{a['receipt']}.html?copies=2")
    assert bad.status_code == 422 and "copies" in bad.get_json()["error"]["errors"]
    notice = client.get(f"/api/v1/documents/billing.payment_notice/{a['unit']}.pdf?period=2026-13")
    assert notice.status_code == 422 and "YYYY-MM" in notice.get_json()["error"]["message"]
    pdf = client.get(f"/api/v1/documents/billing.payment_notice/{a['unit']}.pdf?period=2026-12")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert re.search(r"PN-20\d\d-\d{6}", text) and a["label"] in text  # numbered in the year it is printed


def test_payment_page_has_the_receipt_print_button(app, desk):
    a = desk["DA"]
    page = login(app, "cashier_da").get(f"/admin/billing_payments/details/?id={a['payment']}", headers=ZH)
    assert page.status_code == 200
    assert 'id="record-documents"' in page.text
    assert f'href="/admin/documents/billing.receipt/{a["receipt"]}/"' in page.text and "打印收款收据" in page.text.replace(" ", "")
