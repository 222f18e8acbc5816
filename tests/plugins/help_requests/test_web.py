"""Help requests over HTTP (the generated API and admin screens), the unit panel and the inbox:
staff of another estate neither see nor change this estate's requests."""

from __future__ import annotations

from sqlalchemy import func, select

from core.models import Unit
from plugins.help_requests import services
from plugins.help_requests.admin import admin_views
from plugins.help_requests.dashboards import inbox_items
from plugins.help_requests.models import HelpRequest
from plugins.help_requests.panels import unit_panels
from tests.core.web.conftest import login
from tests.plugins.help_requests.conftest import T0

BASE = "/api/v1/help-requests/requests"


def test_admin_views_name_real_columns():
    from sqlalchemy import inspect

    for spec in admin_views():
        attrs = set(inspect(spec.model).attrs.keys())
        for name in (*spec.list_columns, *spec.search_fields, *spec.filters, *spec.sensitive_fields):
            assert name in attrs, (spec.name, name)


def test_a_request_through_the_api_and_another_estates_staff_get_404(session, api_client, clerk, other_clerk, units):
    client = api_client(clerk.username)
    made = client.post(BASE, json={"unit_id": units[0].id, "category": "elderly", "caller_name": "张奶奶",
                                   "caller_phone": "13911112222", "description": "需要帮忙搬东西"})
    assert made.status_code == 201, made.text
    body = made.get_json()
    assert body["status"] == "received" and body["kind"] == "help" and body["number"].startswith("HR-")
    assert "respond" in body["allowed_transitions"]
    other = api_client(other_clerk.username)
    assert other.get(f"{BASE}/{body['id']}").status_code == 404
    assert body["id"] not in [i["id"] for i in other.get(BASE).get_json()["items"]]
    assert other.post(f"{BASE}/{body['id']}/transitions/respond", json={"reply": "x"}).status_code == 404
    replied = client.post(f"{BASE}/{body['id']}/transitions/respond", json={"reply": "马上派人"})
    assert replied.status_code == 200, replied.text
    assert session.get(HelpRequest, body["id"]).reply == "马上派人"


def test_bad_input_over_the_api_is_422_naming_the_field(session, api_client, clerk, units):
    before = session.scalar(select(func.count(HelpRequest.id)))
    r = api_client(clerk.username).post(BASE, json={"unit_id": units[0].id, "category": "locked_out"})
    assert r.status_code == 422 and "caller_phone" in r.get_json()["error"]["errors"]
    assert session.scalar(select(func.count(HelpRequest.id))) == before


def test_the_admin_list_shows_only_the_staffs_estates(session, app, make_actor, estate, other_estate, clerk, units,
                                                      request_data):
    request = services.register_request(session, clerk, request_data(), now=T0)
    mine, theirs = make_actor("cs_supervisor", estates=[estate]), make_actor("cs_supervisor", estates=[other_estate])
    own = app.test_client()
    login(own, mine.username, "password123")
    assert request.number in own.get("/admin/help_requests_requests/").text
    other = app.test_client()
    login(other, theirs.username, "password123")
    assert request.number not in other.get("/admin/help_requests_requests/").text
    assert other.get(f"/admin/help_requests_requests/details/?id={request.id}").status_code in (302, 404)
    assert own.get("/admin/help_requests_answers/").status_code == 200


def test_the_unit_panel_lists_the_units_requests(session, clerk, other_clerk, request_data):
    request = services.register_request(session, clerk, request_data(category="fire", location="厨房"), now=T0)
    unit = session.get(Unit, request.unit_id)
    [panel] = unit_panels(session, clerk, unit)
    assert panel.rows[0][0].text == request.number and panel.rows[0][0].level == "danger"
    [theirs] = unit_panels(session, other_clerk, unit)
    assert theirs.rows == []


def test_open_emergencies_are_to_dos_of_the_estates_handlers(session, clerk, supervisor, other_clerk, request_data):
    request = services.register_request(session, clerk, request_data(category="gas", location="5楼"), now=T0)
    items = inbox_items(session, supervisor, T0.date())
    assert [i.record_id for i in items] == [request.id] and items[0].label.zh.startswith(request.number)
    assert inbox_items(session, other_clerk, T0.date()) == []


def test_the_admin_edit_form_refuses_a_company_wide_answer_to_estate_staff(session, app, make_actor, estate):
    from plugins.help_requests.models import StandardAnswer
    from tests.core.web.conftest import csrf_of

    company = session.scalar(select(StandardAnswer).where(StandardAnswer.estate_id.is_(None)).limit(1))
    before = company.answer
    supervisor = make_actor("cs_supervisor", estates=[estate])
    client = app.test_client()
    login(client, supervisor.username, "password123")
    url = f"/admin/help_requests_answers/edit/?id={company.id}"
    page = client.get(url)
    assert page.status_code == 200
    r = client.post(url, data={"csrf_token": csrf_of(page.text), "topic": company.topic, "question": company.question,
                               "answer": "改掉", "keywords": company.keywords, "active": "y"})
    assert r.status_code == 200 and ("全公司通用口径" in r.text or "company-wide" in r.text)
    session.expire_all()
    assert session.get(StandardAnswer, company.id).answer == before


def test_the_party_panel_lists_the_callers_requests(session, clerk, other_clerk, request_data):
    from core.models import Party
    from plugins.help_requests.panels import party_panels

    caller = Party(name="孙女士", phone="13955556666")
    session.add(caller)
    session.flush()
    assert party_panels(session, clerk, caller) == []
    request = services.register_request(session, clerk, request_data(party_id=caller.id, caller_phone=""), now=T0)
    assert request.caller_phone == "13955556666" and request.caller_name == "王先生"
    [panel] = party_panels(session, clerk, caller)
    assert [row[0].text for row in panel.rows] == [request.number]
    assert party_panels(session, other_clerk, caller) == []
