"""Intake in the admin: the 来电来访登记 and 事件 screens, the actions on their pages, estate scoping."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.models import Estate, Role, StaffUser
from core.models.intake import Incident, Intake, IntakeStatus
from tests.core.web.conftest import cheap_hash, client_as, csrf_of, login, world  # noqa: F401


@pytest.fixture
def clients(app, world, client_as, factory):  # noqa: F811
    """Logged-in clients: cs_a (specialist of A), sup_a (CS supervisor of A), cs_b (specialist of B)."""
    s = factory()
    for name, role, estate in (("sup_a", "cs_supervisor", "a"), ("cs_b", "cs_specialist", "b")):
        s.add(StaffUser(username=name, full_name=name, password_hash=cheap_hash("pass-12345"),
                        roles=[s.scalars(select(Role).where(Role.name == role)).one()],
                        estates=[s.get(Estate, world[estate])]))
    s.commit()
    s.close()
    out = {"cs_a": client_as("cs_a")}
    for name in ("sup_a", "cs_b"):
        out[name] = app.test_client()
        assert login(out[name], name, "pass-12345").status_code == 302
    return out


def new_intake(c, **data) -> int:
    token = csrf_of(c.get("/admin/core_intakes/new/").text)
    form = {"csrf_token": token, "channel": "phone", "category": "repair", "summary": "厨房漏水",
            "caller_name": "王先生", "caller_phone": "13912345678", **data}
    r = c.post("/admin/core_intakes/new/", data=form)
    assert r.status_code == 302 and "/admin/core_intakes/details/" in r.headers["Location"], r.text[:2000]
    return int(re.search(r"id=(\d+)", r.headers["Location"]).group(1))


def post_action(c, path: str, page: str, **data):
    token = csrf_of(c.get(page).text)
    return c.post(f"/admin/intake-actions/{path}", data={"csrf_token": token, **data})


def test_a_clerk_registers_a_call_and_answers_an_inquiry(clients, world, factory):  # noqa: F811
    c = clients["cs_a"]
    ident = new_intake(c, unit_id=str(world["units_a"][0]), category="inquiry", summary="几点开门")
    page = c.get(f"/admin/core_intakes/details/?id={ident}")
    assert page.status_code == 200 and "139****5678" in page.text and "13912345678" not in page.text
    assert f"/admin/intake-actions/intakes/{ident}/answer" in page.text
    assert "/route" not in page.text.split('id="intake-actions"')[1]  # an inquiry is answered, not routed
    r = post_action(c, f"intakes/{ident}/answer", f"/admin/core_intakes/details/?id={ident}", reply="")
    assert r.status_code == 302
    s = factory()
    assert s.get(Intake, ident).status == IntakeStatus.new  # a blank answer changes nothing
    s.close()
    r = post_action(c, f"intakes/{ident}/answer", f"/admin/core_intakes/details/?id={ident}", reply="8:30 开门")
    assert r.status_code == 302
    s = factory()
    assert (s.get(Intake, ident).status, s.get(Intake, ident).reply) == (IntakeStatus.answered, "8:30 开门")
    s.close()
    listing = c.get("/admin/core_intakes/")
    assert listing.status_code == 200 and "几点开门" in listing.text
    assert "139****5678" in listing.text and "13912345678" not in listing.text  # masked in the list too
    wrong = new_intake(c, estate_id=str(world["a"]), category="other", summary="打错电话")
    r = post_action(c, f"intakes/{wrong}/close", f"/admin/core_intakes/details/?id={wrong}", reason="打错电话")
    assert r.status_code == 302
    s = factory()
    assert s.get(Intake, wrong).status == IntakeStatus.closed
    s.close()


def test_a_form_without_the_phone_of_a_stranger_is_refused(clients, world, factory):  # noqa: F811
    c = clients["cs_a"]
    token = csrf_of(c.get("/admin/core_intakes/new/").text)
    r = c.post("/admin/core_intakes/new/", data={"csrf_token": token, "estate_id": str(world["a"]),
                                                 "channel": "walk_in", "category": "help", "summary": "借梯子"})
    assert r.status_code == 200 and "phone" in r.text.lower()
    s = factory()
    assert s.scalars(select(Intake)).all() == []
    s.close()


def test_a_supervisor_merges_duplicates_into_an_incident_and_resolves_it(clients, world, factory):  # noqa: F811
    c, sup = clients["cs_a"], clients["sup_a"]
    first = new_intake(c, unit_id=str(world["units_a"][0]), summary="停水")
    others = [new_intake(c, unit_id=str(world["units_a"][i]), summary="停水") for i in (1, 2)]
    page = sup.get(f"/admin/core_intakes/details/?id={first}").text
    assert all(f'value="{i}"' in page for i in others)  # the possible duplicates, ticked
    r = post_action(sup, f"intakes/{first}/incident", f"/admin/core_intakes/details/?id={first}",
                    title="1栋停水", intake_ids=[str(i) for i in others])
    assert r.status_code == 302 and "/admin/core_incidents/details/" in r.headers["Location"]
    s = factory()
    incident = s.scalars(select(Incident)).one()
    assert incident.title == "1栋停水" and incident.reporters == 3
    s.close()
    page = sup.get(f"/admin/core_incidents/details/?id={incident.id}")
    assert page.status_code == 200 and "/resolve" in page.text
    r = post_action(sup, f"incidents/{incident.id}/resolve", f"/admin/core_incidents/details/?id={incident.id}",
                    resolution="已恢复供水")
    assert r.status_code == 302
    s = factory()
    assert {i.status for i in s.scalars(select(Intake))} == {IntakeStatus.resolved}
    s.close()


def test_staff_of_another_estate_cannot_see_or_act_on_the_records(clients, world):  # noqa: F811
    mine = new_intake(clients["cs_a"], unit_id=str(world["units_a"][0]))
    other = clients["cs_b"]
    assert other.get(f"/admin/core_intakes/details/?id={mine}").status_code in (302, 404)
    listing = other.get("/admin/core_intakes/")
    assert listing.status_code == 200 and "厨房漏水" not in listing.text
    assert "厨房漏水" in clients["cs_a"].get("/admin/core_intakes/").text
    token = csrf_of(other.get("/admin/core_intakes/new/").text)
    for path, data in ((f"intakes/{mine}/answer", {"reply": "x"}), (f"intakes/{mine}/route", {}),
                       (f"intakes/{mine}/incident", {"title": "x"})):
        assert other.post(f"/admin/intake-actions/{path}", data={"csrf_token": token, **data}).status_code == 404
    assert clients["cs_a"].post(f"/admin/intake-actions/intakes/{mine}/answer",
                                data={"reply": "no token"}).status_code == 400  # CSRF


def test_a_routed_records_page_says_where_it_went(clients, world, factory):  # noqa: F811
    c = clients["cs_a"]
    # "other": a category no plugin handles, so the page can only name the table it went to
    ident = new_intake(c, unit_id=str(world["units_a"][0]), category="other")
    s = factory()  # as routing by a plugin since disabled left it: no handler and no screen for its table
    intake = s.get(Intake, ident)
    intake.status, intake.routed_table, intake.routed_id = IntakeStatus.routed, "gone_orders", 42
    s.commit()
    s.close()
    page = c.get(f"/admin/core_intakes/details/?id={ident}")
    assert page.status_code == 200 and "gone_orders #42" in page.text
    assert f"/admin/intake-actions/intakes/{ident}/answer" not in page.text  # nothing more to do at the desk


def test_the_units_page_lists_its_calls_and_opens_the_form_on_the_unit(clients, world):  # noqa: F811
    unit = world["units_a"][0]
    ident = new_intake(clients["cs_a"], unit_id=str(unit), category="inquiry", summary="门禁卡补办")
    page = clients["cs_a"].get(f"/admin/unit/{unit}/", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and 'id="panel-intake"' in page.text
    assert f"/admin/core_intakes/details/?id={ident}" in page.text and "门禁卡补办" in page.text
    assert f"/admin/core_intakes/new/?unit_id={unit}" in page.text  # 登记来电来访 on this unit
    other = clients["cs_a"].get(f"/admin/unit/{world['units_a'][1]}/")
    assert "门禁卡补办" not in other.text  # another unit's page lists its own calls only
