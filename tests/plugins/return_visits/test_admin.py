"""The generated admin screens: they render for customer service, and staff of another estate see
none of this estate's visits (list or details)."""

from __future__ import annotations

import re

from plugins.return_visits.admin import admin_views


def _login(app, username: str):
    client = app.test_client()
    page = client.get("/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', page.text)
    r = client.post("/login", data={"username": username, "password": "password123",
                                    "csrf_token": token.group(1) or token.group(2), "next": ""})
    assert r.status_code == 302
    return client


def test_screens_render_and_are_scoped(app, seeded, make_visit, supervisor, outsider):
    visit = make_visit()
    seeded.commit()
    ours = _login(app, supervisor.username)
    for spec in admin_views():
        assert ours.get(f"/admin/{spec.name}/").status_code == 200, spec.name
    assert visit.number in ours.get("/admin/return_visits_visits/").text
    page = ours.get(f"/admin/return_visits_visits/details/?id={visit.id}")
    assert page.status_code == 200 and ("Record the visit" in page.text or "回访登记" in page.text)
    theirs = _login(app, outsider.username)
    assert visit.number not in theirs.get("/admin/return_visits_visits/").text
    detail = theirs.get(f"/admin/return_visits_visits/details/?id={visit.id}")
    assert detail.status_code in (302, 404) or visit.number not in detail.text
