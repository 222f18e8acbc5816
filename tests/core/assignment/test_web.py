"""Assignment through the API and the admin: scoped to the caller's estates, bad input refused with the
field named and nothing changed, a second grab is 409 naming who has it, the breach report page."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.models import Role, StaffUser
from core.models.assignment import Assignment, Team, TeamMember
from core.models.workflow import WorkflowDeadline
from tests.core.web.conftest import cheap_hash, client_as, csrf_of, login, token_for, world  # noqa: F401

PASSWORD = "pw-assign-123"
STAFF = {"sup_a": ("engineering_supervisor", "a"), "t1": ("technician", "a"), "t2": ("technician", "a"),
         "sup_b": ("engineering_supervisor", "b")}


@pytest.fixture
def crew(world, factory):  # noqa: F811
    s = factory()
    roles = {r.name: r for r in s.scalars(select(Role))}
    from core.models import Estate

    ids = {}
    for name, (role, estate) in STAFF.items():
        user = StaffUser(username=name, full_name=name.upper(), password_hash=cheap_hash(PASSWORD),
                         roles=[roles[role]], estates=[s.get(Estate, world[estate])])
        s.add(user)
        s.flush()
        ids[name] = user.id
    team = Team(estate_id=world["a"], name="水电班", members=[TeamMember(staff_id=ids["t1"], position=1),
                                                              TeamMember(staff_id=ids["t2"], position=2)])
    s.add(team)
    s.commit()
    ids["team"] = team.id
    s.close()
    return {**world, **ids}


@pytest.fixture
def api_as(app, crew, factory):
    from core.web.tokens import create_token

    def make(username: str):
        s = factory()
        _row, token = create_token(s, username, name="test")
        s.commit()
        s.close()
        c = app.test_client()
        c.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return c

    return make


def web_as(app, username: str):
    c = app.test_client()
    assert login(c, username, PASSWORD).status_code == 302
    return c


def unit_a(crew) -> str:
    return f"record_table=core_units&record_id={crew['units_a'][0]}"


def count(factory) -> int:
    s = factory()
    try:
        return len(s.scalars(select(Assignment)).all())
    finally:
        s.close()


def test_api_assign_reassign_and_history(api_as, crew, factory):
    sup = api_as("sup_a")
    r = sup.get(f"/api/v1/assignments?{unit_a(crew)}")
    assert r.status_code == 200 and r.json["current"] is None and r.json["history"] == []
    r = sup.post(f"/api/v1/assignments?{unit_a(crew)}", json={"assignee_id": crew["t1"], "team_id": crew["team"]})
    assert r.status_code == 201, r.json
    assert (r.json["current"]["assignee_id"], r.json["current"]["team"], r.json["current"]["mode"]) == (
        crew["t1"], "水电班", "assign")
    r = sup.post(f"/api/v1/assignments?{unit_a(crew)}", json={"assignee_id": crew["t2"]})
    assert r.status_code == 422 and r.json["error"]["field"] == "reason"
    r = sup.post(f"/api/v1/assignments?{unit_a(crew)}", json={"assignee_id": crew["t2"], "reason": "t1 on leave"})
    assert r.status_code == 201
    assert [h["assignee_id"] for h in r.json["history"]] == [crew["t1"], crew["t2"]]
    assert r.json["history"][0]["ended_at"] is not None and r.json["current"]["reason"] == "t1 on leave"


def test_api_refuses_bad_input_naming_the_field_and_changes_nothing(api_as, crew, factory):
    sup = api_as("sup_a")
    r = sup.post(f"/api/v1/assignments?{unit_a(crew)}", json={"assignee_id": crew["sup_b"]})
    assert r.status_code == 422 and r.json["error"]["field"] == "assignee"
    r = sup.post(f"/api/v1/assignments?{unit_a(crew)}", json={"assignee_id": "t1"})
    assert r.status_code == 422 and "assignee_id" in r.json["error"]["errors"]
    r = sup.post("/api/v1/assignments?record_table=core_units", json={"assignee_id": crew["t1"]})
    assert r.status_code == 422 and r.json["error"]["field"] == "record_id"
    r = sup.post("/api/v1/assignments?record_table=nope&record_id=1", json={"assignee_id": crew["t1"]})
    assert r.status_code == 404
    assert count(factory) == 0


def test_api_staff_of_another_estate_get_404_and_change_nothing(api_as, crew, factory):
    sup_b = api_as("sup_b")
    assert sup_b.get(f"/api/v1/assignments?{unit_a(crew)}").status_code == 404
    r = sup_b.post(f"/api/v1/assignments?{unit_a(crew)}", json={"assignee_id": crew["t1"]})
    assert r.status_code == 404 and count(factory) == 0
    assert api_as("t1").post(f"/api/v1/assignments?{unit_a(crew)}",
                             json={"assignee_id": crew["t2"]}).status_code == 403  # technicians do not assign


def test_api_grab_race_second_gets_409_naming_the_first(api_as, crew):
    api_as("sup_a").post(f"/api/v1/assignments?{unit_a(crew)}", json={"team_id": crew["team"]})
    first = api_as("t1").post(f"/api/v1/assignments/grab?{unit_a(crew)}")
    assert first.status_code == 200 and first.json["current"]["assignee_id"] == crew["t1"]
    second = api_as("t2").post(f"/api/v1/assignments/grab?{unit_a(crew)}")
    assert second.status_code == 409 and "T1" in second.json["error"]["message"]
    back = api_as("t1").post(f"/api/v1/assignments/release?{unit_a(crew)}", json={"reason": "wrong trade"})
    assert back.status_code == 200 and back.json["current"]["offered"] is True


def add_deadlines(factory, crew):
    s = factory()
    t0 = dt.datetime(2026, 12, 1, 1, tzinfo=dt.UTC)
    for estate, who, closed in ((crew["a"], crew["t1"], t0 + dt.timedelta(hours=3)),
                                (crew["a"], crew["t1"], t0 + dt.timedelta(minutes=30)),
                                (crew["b"], None, t0 + dt.timedelta(hours=5))):
        s.add(WorkflowDeadline(workflow="x.y", record_table="core_units", record_id=1, estate_id=estate, state="new",
                               started_at=t0, due_at=t0 + dt.timedelta(hours=1), closed_at=closed,
                               escalate_to="cs_supervisor", assignee_id=who, team_id=crew["team"] if who else None))
    s.commit()
    s.close()


def test_api_breach_report_covers_the_callers_estates(api_as, crew, factory):
    add_deadlines(factory, crew)
    r = api_as("sup_a").get("/api/v1/reports/breaches?since=2026-12-01&until=2026-12-02")
    assert r.status_code == 200, r.json
    assert (r.json["total"], r.json["breached"]) == (2, 1)  # estate B's is not counted
    assert r.json["people"] == [{"id": crew["t1"], "name": "T1", "total": 2, "breached": 1, "rate": 0.5}]
    bad = api_as("sup_a").get("/api/v1/reports/breaches?since=yesterday&until=2026-12-02")
    assert bad.status_code == 422 and bad.json["error"]["field"] == "since"
    assert api_as("t1").get("/api/v1/reports/breaches?since=2026-12-01&until=2026-12-02").status_code == 403


def test_record_page_shows_the_block_and_assigns_with_csrf(app, crew, factory):
    sup = web_as(app, "sup_a")
    api_page = f"/admin/core_units/details/?id={crew['units_a'][0]}"
    # no assignment and no deadline yet: no block; assign through the API to get one
    assert 'id="assignment"' not in sup.get(api_page).text
    s = factory()
    from core.assignment import assign
    from core.models import Unit

    assign(s, s.get(Unit, crew["units_a"][0]), team=crew["team"], actor=s.get(StaffUser, crew["sup_a"]))
    s.commit()
    s.close()
    page = sup.get(api_page).text
    assert 'id="assignment"' in page and "wuye-assignment-assign" in page
    url = f"/admin/assignment-actions/core_units/{crew['units_a'][0]}/assign"
    assert sup.post(url, data={"assignee_id": str(crew["t2"])}).status_code == 400  # no CSRF token
    r = sup.post(url, data={"csrf_token": csrf_of(page), "assignee_id": str(crew["t2"]), "back": api_page})
    assert r.status_code == 302 and r.headers["Location"].endswith(api_page)
    s = factory()
    current = s.scalar(select(Assignment).where(Assignment.ended_at.is_(None)))
    assert current.assignee_id == crew["t2"]
    s.close()
    t1 = web_as(app, "t1")
    assert "wuye-assignment-grab" not in t1.get(api_page).text  # taken: nothing to grab
    sup_b = web_as(app, "sup_b")
    assert sup_b.post(url, data={"csrf_token": csrf_of(sup_b.get("/admin/").text),
                                 "assignee_id": str(crew["t1"])}).status_code == 404  # estate B: not found


def test_grab_button_for_team_members(app, crew, factory):
    s = factory()
    from core.assignment import assign
    from core.models import Unit

    assign(s, s.get(Unit, crew["units_a"][1]), team=crew["team"], actor=s.get(StaffUser, crew["sup_a"]))
    s.commit()
    s.close()
    t1 = web_as(app, "t1")
    page_url = f"/admin/core_units/details/?id={crew['units_a'][1]}"
    page = t1.get(page_url).text
    assert "wuye-assignment-grab" in page
    r = t1.post(f"/admin/assignment-actions/core_units/{crew['units_a'][1]}/grab",
                data={"csrf_token": csrf_of(page), "back": page_url}, follow_redirects=True)
    assert r.status_code == 200 and "wuye-assignment-release" in r.text


def test_breach_page_per_person_and_team_scoped(app, crew, factory):
    add_deadlines(factory, crew)
    sup = web_as(app, "sup_a")
    page = sup.get("/admin/breaches/?since=2026-12-01&until=2026-12-01").text
    assert 'id="breaches-people"' in page and "T1" in page and "50.0%" in page and "水电班" in page
    assert sup.get(f"/admin/breaches/?estate_id={crew['b']}").status_code == 404
    assert web_as(app, "t1").get("/admin/breaches/").status_code == 403


def test_the_routes_are_documented_for_the_openapi_document(api_as, crew):
    from apispec import APISpec

    from core.web.api.assignment import document_paths
    from core.web.api.openapi import ERRORS

    spec = APISpec(title="t", version="1", openapi_version="3.0.3")
    document_paths(spec, ERRORS, [{"bearerAuth": []}])
    paths = spec.to_dict()["paths"]
    assert set(paths) == {"/api/v1/assignments", "/api/v1/assignments/grab", "/api/v1/assignments/release",
                          "/api/v1/assignments/dispatch", "/api/v1/reports/breaches"}
    sup = api_as("sup_a")
    r = sup.post(f"/api/v1/assignments/grab?{unit_a(crew)}", json={"by": "me"})
    assert r.status_code == 422 and "by" in r.json["error"]["errors"]  # undocumented body fields are refused
    r = sup.post("/api/v1/assignments/dispatch?record_table=core_staff_users&record_id=1", json={"category": "x"})
    assert r.status_code == 404  # staff users have no estate: not assignable


def test_teams_and_rules_are_scoped_to_the_estates_and_checked(api_as, app, crew):
    sup_b, sup_a = api_as("sup_b"), api_as("sup_a")
    assert sup_b.get(f"/api/v1/teams/{crew['team']}").status_code == 404
    assert sup_b.get("/api/v1/team-members").json["items"] == []  # A's members are not B's business
    assert len(sup_a.get("/api/v1/team-members").json["items"]) == 2
    r = sup_b.post("/api/v1/team-members", json={"team_id": crew["team"], "staff_id": crew["sup_b"]})
    assert r.status_code == 422 and "No such team" in r.json["error"]["errors"]["team_id"][0]  # A's team: unseen
    r = sup_a.post("/api/v1/team-members", json={"team_id": crew["team"], "staff_id": crew["sup_b"]})
    assert r.status_code == 422 and r.json["error"]["field"] == "staff_id"  # B's staff cannot join A's team
    r = sup_a.post("/api/v1/dispatch-rules", json={"estate_id": crew["a"], "category": "repairs", "mode": "grab"})
    assert r.status_code == 422 and r.json["error"]["field"] == "team_id"
    r = sup_a.post("/api/v1/dispatch-rules", json={"estate_id": crew["a"], "category": "Repairs!", "mode": "grab",
                                                   "team_id": crew["team"]})
    assert r.status_code == 422 and r.json["error"]["field"] == "category"
    r = sup_a.post("/api/v1/dispatch-rules", json={"estate_id": crew["a"], "category": "repairs",
                                                   "mode": "round_robin", "team_id": crew["team"]})
    assert r.status_code == 201, r.json
    assert sup_b.get(f"/api/v1/dispatch-rules/{r.json['id']}").status_code == 404
    page = web_as(app, "sup_a").get(f"/admin/core_teams/details/?id={crew['team']}").text
    assert "wuye-team-members" in page and "T1" in page and "T2" in page
    other = web_as(app, "sup_b").get(f"/admin/core_teams/details/?id={crew['team']}")
    assert other.status_code == 302 and other.headers["Location"].endswith("/admin/core_teams/")  # as if missing
