"""The visitor register over HTTP (``wuye_visitors/api.py``): core generates the resource from the spec.

``api_client(username)`` (from ``core.testing``) is a test client carrying an API token of that staff
member; the records made with ``make_estate``/``make_actor`` are visible to its requests.
"""

from __future__ import annotations

from sqlalchemy import func, select

from wuye_visitors.models import Visit


def test_a_visit_registered_and_escorted_out_through_the_api(api_client, make_actor, estate, unit, guard):
    created = api_client(guard.username).post("/api/v1/visitors/visits", json={
        "unit_id": unit.id, "visitor_name": "王五", "visitor_phone": "13912345678"})
    assert created.status_code == 201, created.text
    visit = created.get_json()
    assert visit["status"] == "inside" and visit["allowed_transitions"] == ["depart"]
    assert visit["visitor_phone"] == "139****5678"  # a guard sees phones masked
    escort = f"/api/v1/visitors/visits/{visit['id']}/transitions/escort_out"
    assert api_client(guard.username).post(escort, json={"comment": "x"}).status_code == 403
    leader = api_client(make_actor("squad_leader", estates=[estate]).username)
    refused = leader.post(escort, json={})
    assert refused.status_code in (409, 422) and "comment" in refused.text
    done = leader.post(escort, json={"comment": "refused to leave the lobby"})
    assert done.status_code == 200, done.text
    assert done.get_json()["status"] == "escorted_out"


def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(api_client, session, unit, guard):
    response = api_client(guard.username).post("/api/v1/visitors/visits",
                                               json={"unit_id": unit.id, "visitor_name": "  "})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "visitor_name"
    assert session.scalar(select(func.count(Visit.id))) == 0
