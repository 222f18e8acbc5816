"""The JSON API generated from the plugin's ApiResourceSpecs: same rules, same errors as the services."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from core.web.app import create_app
from core.web.tokens import create_token
from plugins.billing import services as billing
from plugins.renovation.models import RenovationApplication


@pytest.fixture
def api(reno, wuye):
    conn = reno.session.connection()

    def factory():
        return Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False,
                       info={"wuye": wuye})

    app = create_app(wuye, testing=True, session_factory=factory)
    client = app.test_client()
    tokens = {role: create_token(reno.session, user.username)[1] for role, user in reno.actors.items()}
    reno.session.flush()

    def call(method: str, path: str, role: str, json=None):
        res = client.open(f"/api/v1/renovation/{path}", method=method, json=json,
                          headers={"Authorization": f"Bearer {tokens[role]}"})
        payload = res.get_json()
        return res.status_code, payload.get("error", payload) if isinstance(payload, dict) else payload

    return call


def body(reno, **kw):
    data = {"unit_id": reno.units[0].id, "applicant_id": reno.owner.id, "scope": ["flooring", "ceiling"],
            "planned_start": str(reno.today + dt.timedelta(days=1)),
            "planned_end": str(reno.today + dt.timedelta(days=30)), "self_renovation": True,
            "worker_guarantee_ref": "担保书 API-1",
            "workers": [{"name": "郑师傅", "id_number": "320102197001010099", "trade": "tiler"}]}
    data.update(kw)
    return data


def test_create_and_move_an_application_through_the_api(reno, api):
    status, created = api("POST", "applications", "cs_specialist", body(reno))
    assert status == 201, created
    assert created["number"].startswith("RN-") and created["status"] == "submitted"
    ident = created["id"]
    status, err = api("POST", f"applications/{ident}/transitions/receive", "cashier", {})
    assert status == 403
    status, moved = api("POST", f"applications/{ident}/transitions/receive", "cs_specialist", {})
    assert status == 200 and moved["status"] == "cs_review"
    status, listed = api("GET", "applications?status=cs_review", "office_manager")
    assert status == 200 and [i["id"] for i in listed["items"]] == [ident]


def test_api_errors_match_the_services(reno, api):
    status, err = api("POST", "applications", "cs_specialist",
                      body(reno, planned_end=str(reno.today - dt.timedelta(days=3))))
    assert status == 422 and "planned_end" in err["errors"]
    status, created = api("POST", "applications", "cs_specialist", body(reno))
    assert status == 201
    status, err = api("POST", "applications", "cs_specialist", body(reno))
    assert status == 409 and created["number"] in err["message"]
    assert reno.session.query(RenovationApplication).count() == 1


def test_settlement_over_the_api_names_the_approver_by_id(reno, api):
    app = reno.drive(reno.apply(), "accepted")
    path = f"applications/{app.id}/transitions/settle_deposit"
    status, err = api("POST", path, "cs_supervisor", {"approver": 999999})
    assert status == 422 and err["field"] == "approver"
    status, err = api("POST", path, "cs_supervisor", {"approver": reno.approver.id, "refund_fen": 250000})
    assert status == 422 and err["field"] == "refund_fen"
    assert billing.deposit_balance_fen(reno.session, source=app.source) == 200000
    status, done = api("POST", path, "cs_supervisor", {"approver": reno.approver.id})
    assert status == 200 and done["status"] == "deposit_settled"
    assert billing.deposit_balance_fen(reno.session, source=app.source) == 0


def test_api_create_service_goes_through_the_services(reno):
    from plugins.renovation.api import create_application
    from plugins.renovation.schemas import ApplicationSchema

    data = ApplicationSchema().load({
        "unit_id": reno.units[3].id, "applicant_id": reno.owner.id, "scope": ["ceiling"],
        "planned_start": str(reno.today), "planned_end": str(reno.today + dt.timedelta(days=20)),
        "self_renovation": True, "worker_guarantee_ref": "担保书 9",
        "workers": [{"name": "郑师傅", "id_number": "320102197001010099"}]})
    app = create_application(reno.session, reno.actors["cs_specialist"], data)
    assert app.status == "submitted" and [w.name for w in app.workers] == ["郑师傅"]
    dumped = ApplicationSchema().dump(app)
    assert dumped["number"] == app.number and dumped["planned_end"] == str(reno.today + dt.timedelta(days=20))


def test_review_comments_are_kept_as_the_opinions(reno, api):
    """初审/二审意见: the comment sent with pass_cs_review / pass_engineering_review is kept on the
    application (it used to be lost: the effect read ``opinion``, the API passed ``comment``)."""
    app = reno.apply()
    path = f"applications/{app.id}/transitions"
    assert api("POST", f"{path}/receive", "cs_specialist", {})[0] == 200
    status, moved = api("POST", f"{path}/pass_cs_review", "cs_specialist", {"comment": "资料齐全, 同意"})
    assert status == 200 and moved["cs_opinion"] == "资料齐全, 同意"
    status, moved = api("POST", f"{path}/pass_engineering_review", "engineer",
                        {"comment": "history note", "opinion": "不得拆改承重墙"})
    assert status == 200 and moved["engineering_opinion"] == "不得拆改承重墙"  # an explicit opinion wins
    status, moved = api("POST", f"{path}/approve", "office_manager", {"comment": "同意施工"})
    assert status == 200 and moved["manager_opinion"] == "同意施工" and moved["status"] == "approved"
    reno.session.refresh(app)
    assert (app.cs_opinion, app.engineering_opinion, app.manager_opinion) == ("资料齐全, 同意", "不得拆改承重墙", "同意施工")


def test_transition_bodies_are_validated_by_their_schemas(reno, api):
    app = reno.drive(reno.apply(), "engineering_review")
    path = f"applications/{app.id}/transitions"
    status, err = api("POST", f"{path}/pass_engineering_review", "engineer", {"opinion": 42})
    assert status == 422 and err["field"] == "opinion"
    status, err = api("POST", f"{path}/pass_engineering_review", "engineer", {"opnion": "typo"})
    assert status == 422 and err["field"] == "opnion"
    status, err = api("POST", f"{path}/request_revision", "engineer", {"comment": "   "})
    assert status == 422 and err["field"] == "comment"  # needs a real comment
    reno.session.refresh(app)
    assert app.status == "engineering_review" and app.engineering_opinion == ""
