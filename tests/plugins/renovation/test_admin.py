"""The admin screens generated from the plugin's AdminViewSpecs: every list and detail page opens, and
sensitive fields are masked for roles that may not see them."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from core.web.app import create_app


@pytest.fixture
def browser(reno, wuye):
    from core.web.context import session_stamp

    conn = reno.session.connection()
    app = create_app(wuye, testing=True, session_factory=lambda: Session(
        bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False, info={"wuye": wuye}))
    client = app.test_client()

    def login(role: str):
        user = reno.actors[role]
        with client.session_transaction() as cookie:
            cookie["uid"], cookie["pwv"] = user.id, session_stamp(user)
        return client

    return login


def test_admin_screens_list_and_show_renovation_records(reno, browser):
    app = reno.drive(reno.apply(), "in_progress")
    from plugins.renovation import services

    services.record_violation(reno.session, reno.actors["guard"], app, code="T11", description="垃圾堆放楼道")
    client = browser("cs_supervisor")
    for name in ("renovation_applications", "renovation_workers", "renovation_worker_passes",
                 "renovation_inspections", "renovation_violations", "renovation_extensions",
                 "renovation_acceptance_checks", "renovation_settlements", "renovation_inspection_shortfalls"):
        res = client.get(f"/admin/{name}/")
        assert res.status_code == 200, (name, res.status_code)
    page = client.get("/admin/renovation_applications/").get_data(as_text=True)
    assert app.number in page
    detail = client.get(f"/admin/renovation_applications/details/?id={app.id}")
    assert detail.status_code == 200 and app.number in detail.get_data(as_text=True)
    # ID numbers are shown only to roles allowed to see them (cs_supervisor is; cs_specialist is not)
    assert "320102198503120011" in client.get("/admin/renovation_workers/").get_data(as_text=True)
    other = browser("cs_specialist")
    assert "320102198503120011" not in other.get("/admin/renovation_workers/").get_data(as_text=True)


def test_the_admin_transition_form_keeps_the_review_comment_as_the_opinion(reno, browser):
    import re

    app = reno.drive(reno.apply(), "cs_review")
    client = browser("cs_specialist")
    page = client.get(f"/admin/renovation_applications/details/?id={app.id}").get_data(as_text=True)
    assert 'data-transition="pass_cs_review"' in page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = client.post("/admin/renovation_applications/transition/", data={
        "csrf_token": token, "id": app.id, "transition": "pass_cs_review", "comment": "初审通过, 图纸齐全"})
    assert r.status_code == 302
    reno.session.refresh(app)
    assert app.status == "engineering_review" and app.cs_opinion == "初审通过, 图纸齐全"
    engineer = browser("engineer")
    page = engineer.get(f"/admin/renovation_applications/details/?id={app.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = engineer.post("/admin/renovation_applications/transition/", data={
        "csrf_token": token, "id": app.id, "transition": "pass_engineering_review", "comment": "二审: 同意"})
    assert r.status_code == 302
    reno.session.refresh(app)
    assert app.status == "manager_approval" and app.engineering_opinion == "二审: 同意"
