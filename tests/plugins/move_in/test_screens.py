"""The unit panel, the search, the printed notice and handover form, the admin screens and the API,
each scoped to the reader's estates."""

from __future__ import annotations

import pytest

from core.documents.printing import render_html
from plugins.move_in import services
from plugins.move_in.panels import search, unit_panels


@pytest.fixture
def browser(app):
    from core.web.context import session_stamp

    def login(user):
        client = app.test_client()
        with client.session_transaction() as cookie:
            cookie["uid"], cookie["pwv"] = user.id, session_stamp(user)
        return client

    return login


def test_unit_panel_tells_the_move_in(mi):
    [panel] = unit_panels(mi.session, mi.clerk, mi.units[0])
    assert panel.rows == [] and panel.actions[0].view == "move_in_cases"  # no case yet: issue the notice
    case = mi.to_state(mi.notice(), "confirm_fees")
    services.record_defect(mi.session, mi.clerk, case_id=case.id, location="厨房", description="水槽渗水")
    mi.to_state(case, "complete")
    [panel] = unit_panels(mi.session, mi.clerk, mi.units[0])
    facts = {str(k): v for k, v in panel.facts}
    assert case.number in str(facts["Move-in case"]) and facts["Key sets handed over"] == 1
    assert facts["Handover form signed by"] == "林业主"
    (row,) = panel.rows
    assert "水槽渗水" in str(row[0]) and str(row[2]).startswith("RP-") and row[2].view == "repairs_orders"
    assert unit_panels(mi.session, mi.clerk_b, mi.units[0]) == []  # another estate's clerk: nothing


def test_search_by_number_is_scoped(mi):
    case = mi.notice()
    assert [h.record_id for h in search(mi.session, mi.clerk, case.number.lower())] == [case.id]
    assert search(mi.session, mi.clerk_b, case.number) == []


def test_the_notice_and_the_handover_form_print(mi):
    case = mi.to_state(mi.notice(), "confirm_fees")
    services.record_defect(mi.session, mi.clerk, case_id=case.id, location="阳台", description="栏杆松动",
                           responsible="developer")
    notice = str(render_html(mi.session, mi.clerk, "move_in.notice", case))
    assert "林业主" in notice and case.notified_by.isoformat() in notice and "一寸彩照" in notice
    mi.to_state(case, "sign", inspect={"water_reading": "00012", "electricity_reading": "00034"})
    form = str(render_html(mi.session, mi.clerk, "move_in.handover_form", case))
    assert "收楼确认书" in form and "00012" in form and "栏杆松动" in form and "开发商保修" in form
    assert case.number in form


def test_admin_screens_open_for_the_estate_and_not_for_others(mi, browser):
    case = mi.notice()
    client = browser(mi.clerk)
    for name in ("move_in_cases", "move_in_defects", "move_in_batches", "move_in_slots"):
        assert client.get(f"/admin/{name}/").status_code == 200, name
    assert case.number in client.get("/admin/move_in_cases/").get_data(as_text=True)
    detail = client.get(f"/admin/move_in_cases/details/?id={case.id}")
    assert detail.status_code == 200 and "林业主" in detail.get_data(as_text=True)
    other = browser(mi.clerk_b)
    assert case.number not in other.get("/admin/move_in_cases/").get_data(as_text=True)
    assert other.get(f"/admin/move_in_cases/details/?id={case.id}").status_code == 302


def test_the_step_card_comes_first_and_carries_the_data_steps(mi, browser):
    """A clerk sees the step at hand above the long details table; the steps that need data are the
    card's forms, not bare buttons of the status bar (which would only be refused)."""
    case = mi.notice()
    client = browser(mi.clerk)
    page = client.get(f"/admin/move_in_cases/details/?id={case.id}").get_data(as_text=True)
    card, table = page.find('id="move-in-step"'), page.find('table table-hover table-bordered searchable')
    assert 0 < card < table and page.count('id="move-in-step"') == 1
    assert 'data-transition="check_documents"' not in page and 'data-transition="book"' not in page
    assert 'data-transition="deem"' not in page  # the owner still has until the notified date
    assert 'class="mb-2 wuye-move-in-check_documents"' in page and "mi-next" in page
    mi.to_state(case, "inspect")
    page = client.get(f"/admin/move_in_cases/details/?id={case.id}").get_data(as_text=True)
    assert 'data-transition="sign"' in page and 'id="mi-print-handover"' in page
    assert page.find('id="move-in-step"') < page.find('table table-hover table-bordered searchable')


def test_api_lists_and_steps_the_case(mi, app):
    from core.web.tokens import create_token

    case = mi.notice()
    token = create_token(mi.session, mi.clerk.username, name="t")[1]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    r = client.get("/api/v1/move-in/cases", headers=headers)
    assert r.status_code == 200 and [i["number"] for i in r.json["items"]] == [case.number]
    r = client.post(f"/api/v1/move-in/cases/{case.id}/transitions/check_documents", headers=headers,
                    json={"id_checked": True, "contract_checked": True, "photos_count": 1})
    assert r.status_code == 409 and case.status == "notified"
