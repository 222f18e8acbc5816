"""The admin screens: the repair register, the order page with its work-order print and the unit
panel; staff of another estate neither see nor change the estate's orders."""

from __future__ import annotations

import pytest

from tests.core.web.conftest import csrf_of


@pytest.fixture
def browser(app):
    from core.web.context import session_stamp

    def login(user):
        client = app.test_client()
        with client.session_transaction() as cookie:
            cookie["uid"], cookie["pwv"] = user.id, session_stamp(user)
        return client

    return login


def test_the_register_and_the_order_page_open_for_the_estates_staff(rp, browser):
    o = rp.order()
    client = browser(rp.clerk)
    for name in ("repairs_orders", "repairs_categories"):
        assert client.get(f"/admin/{name}/").status_code == 200, name
    assert o.number in client.get("/admin/repairs_orders/").get_data(as_text=True)
    detail = client.get(f"/admin/repairs_orders/details/?id={o.id}")
    assert detail.status_code == 200 and "厨房水管漏水" in detail.get_data(as_text=True)


def test_staff_of_another_estate_cannot_open_or_change_the_order(rp, browser):
    o = rp.order()
    other = browser(rp.clerk_b)
    assert o.number not in other.get("/admin/repairs_orders/").get_data(as_text=True)
    detail = other.get(f"/admin/repairs_orders/details/?id={o.id}")
    assert detail.status_code == 302 and detail.headers["Location"].endswith("/admin/repairs_orders/")
    page = browser(rp.clerk).get(f"/admin/repairs_orders/details/?id={o.id}").get_data(as_text=True)
    token = csrf_of(other.get("/admin/repairs_orders/").get_data(as_text=True))
    assert 'data-transition="dispatch"' in page
    other.post("/admin/repairs_orders/transition/", data={"csrf_token": token, "id": o.id, "transition": "dispatch",
                                                        "comment": ""})
    rp.session.refresh(o)
    assert o.status == "received"
    mine = browser(rp.clerk)  # the same request from the estate's own clerk does dispatch it
    token = csrf_of(mine.get(f"/admin/repairs_orders/details/?id={o.id}").get_data(as_text=True))
    mine.post("/admin/repairs_orders/transition/", data={"csrf_token": token, "id": o.id, "transition": "dispatch",
                                                       "comment": ""})
    rp.session.refresh(o)
    assert o.status == "dispatched"


def test_the_supervisor_prices_a_repair_on_its_page_and_bad_amounts_change_nothing(rp, browser):
    o = rp.order()
    sup = browser(rp.sup)
    page = sup.get(f"/admin/repairs_orders/details/?id={o.id}").get_data(as_text=True)
    assert 'id="repairs-price"' in page and "保存报价" in page
    token = csrf_of(page)
    bad = sup.post("/admin/repairs_orders/price/", data={"csrf_token": token, "id": o.id, "labour": "五十"},
                   follow_redirects=True).get_data(as_text=True)
    assert "不是金额" in bad
    rp.session.refresh(o)
    assert (o.paid, o.labour_fen) == (False, 0)
    sup.post("/admin/repairs_orders/price/", data={"csrf_token": token, "id": o.id, "labour": "50",
                                                  "material": "38.50"})
    rp.session.refresh(o)
    assert (o.paid, o.labour_fen, o.material_fen) == (True, 5000, 3850)
    clerk = browser(rp.clerk)  # the clerk may not price, but records that the owner accepts
    page = clerk.get(f"/admin/repairs_orders/details/?id={o.id}").get_data(as_text=True)
    assert "保存报价" not in page and "¥88.50" in page
    clerk.post("/admin/repairs_orders/accept-price/", data={"csrf_token": csrf_of(page), "id": o.id})
    rp.session.refresh(o)
    assert o.quote_accepted_at is not None


def test_a_technician_adds_photos_but_registers_no_orders(rp, browser):
    tech = browser(rp.t1)
    assert "/admin/repairs_orders/new/" not in tech.get("/admin/repairs_orders/").get_data(as_text=True)
    assert tech.get("/admin/repairs_orders/new/").status_code in (302, 403)
    page = tech.get(f"/admin/repairs_orders/details/?id={rp.order().id}").get_data(as_text=True)
    assert 'id="attachment-files"' in page
