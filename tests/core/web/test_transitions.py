"""Workflow transitions through the API and the admin status bar (the keys plugin's key register)."""

from __future__ import annotations

import pytest

from tests.core.web.conftest import bearer, csrf_of

pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def keys_enabled(wuye):
    if not wuye.is_enabled("keys"):
        pytest.skip("the keys plugin is not enabled")


def _key_set(c, headers, estate_id, unit_id, tag):
    r = c.post("/api/v1/keys/key-sets", json={"estate_id": estate_id, "unit_id": unit_id, "tag_no": tag},
               headers=headers)
    assert r.status_code == 201, r.json
    return r.json


def test_transition_through_the_api(app, world, token_for, keys_enabled):
    c = app.test_client()
    admin = bearer(token_for("admin"))
    ks = _key_set(c, admin, world["a"], world["units_a"][0], "T-1")
    assert ks["status"] == "with_developer" and "destroy" in ks["allowed_transitions"]
    r = c.post(f"/api/v1/keys/key-sets/{ks['id']}/transitions/destroy", json={"comment": "water damage"},
               headers=admin)
    assert r.status_code == 200, r.json
    assert r.json["status"] == "destroyed" and r.json["allowed_transitions"] == []
    again = c.post(f"/api/v1/keys/key-sets/{ks['id']}/transitions/destroy", json={"comment": "again"}, headers=admin)
    assert again.status_code == 409 and again.json["error"]["status"] == 409
    no_reason = c.post(f"/api/v1/keys/key-sets/{ks['id']}/transitions/destroy", json={}, headers=admin)
    assert no_reason.status_code == 422 and no_reason.json["error"]["field"] == "comment"
    unknown = c.post(f"/api/v1/keys/key-sets/{ks['id']}/transitions/fly", json={}, headers=admin)
    assert unknown.status_code == 404
    bad = c.post(f"/api/v1/keys/key-sets/{ks['id']}/transitions/destroy", json={"x": {"nested": 1}},
                 headers=admin)
    assert bad.status_code == 422


def test_transition_on_other_estate_is_404(app, world, token_for, keys_enabled):
    c = app.test_client()
    ks = _key_set(c, bearer(token_for("admin")), world["b"], world["units_b"][0], "T-B")
    r = c.post(f"/api/v1/keys/key-sets/{ks['id']}/transitions/destroy", json={}, headers=bearer(token_for("cs_a")))
    assert r.status_code == 404
    check = c.get(f"/api/v1/keys/key-sets/{ks['id']}", headers=bearer(token_for("admin")))
    assert check.json["status"] == "with_developer"


def test_status_bar_button_and_activity(app, world, token_for, client_as, keys_enabled):
    api = app.test_client()
    ks = _key_set(api, bearer(token_for("admin")), world["a"], world["units_a"][1], "T-2")
    c = client_as("admin")
    page = c.get(f"/admin/keys_key_sets/details/?id={ks['id']}").text
    assert 'id="status-bar"' in page and 'data-transition="destroy"' in page and 'id="activity"' in page
    r = c.post("/admin/keys_key_sets/transition/", data={"csrf_token": csrf_of(page), "id": ks["id"],
                                                         "transition": "destroy", "comment": "lost in flood"})
    assert r.status_code == 302
    page = c.get(f"/admin/keys_key_sets/details/?id={ks['id']}").text
    assert 'badge-primary wuye-state"\n              data-state="destroyed"' in page or \
        ('data-state="destroyed"' in page and "lost in flood" in page)
    missing_csrf = c.post("/admin/keys_key_sets/transition/", data={"id": ks["id"], "transition": "destroy"})
    assert missing_csrf.status_code == 400


def test_bulk_transition_action(app, world, token_for, client_as, keys_enabled):
    api = app.test_client()
    admin = bearer(token_for("admin"))
    ids = [_key_set(api, admin, world["a"], world["units_a"][i], f"T-BULK-{i}")["id"] for i in (2, 3)]
    c = client_as("admin")
    page = c.get("/admin/keys_key_sets/").text
    assert "transition__receive_from_developer" in page
    assert "transition__destroy" not in page  # needs a comment: not offered in bulk
    r = c.post("/admin/keys_key_sets/action/", data={"csrf_token": csrf_of(page),
                                                     "action": "transition__receive_from_developer",
                                                     "rowid": [str(i) for i in ids]})
    assert r.status_code == 302
    for i in ids:
        assert api.get(f"/api/v1/keys/key-sets/{i}", headers=admin).json["status"] == "sealed"


@pytest.fixture
def second_approver_for_destroy(wuye):
    """This company requires a second approver to destroy a key set ([workflows] second_approver)."""
    before = wuye.config.workflows
    wuye.config.workflows = {**before, "keys.key_set": {"second_approver": ["destroy"]}}
    yield
    wuye.config.workflows = before


def test_the_api_takes_a_second_approver_by_staff_id(app, world, token_for, keys_enabled, second_approver_for_destroy):
    c = app.test_client()
    admin = bearer(token_for("admin"))
    r = c.post("/api/v1/keys/key-sets", json={"estate_id": world["a"], "unit_id": world["units_a"][0],
                                              "tag_no": "T-2ND"}, headers=admin)
    assert r.status_code == 201, r.json
    url = f"/api/v1/keys/key-sets/{r.json['id']}/transitions/destroy"
    r = c.post(url, json={"comment": "flood"}, headers=admin)
    assert r.status_code == 409 and r.json["error"]["field"] == "approver"
    r = c.post(url, json={"comment": "flood", "approver": 999999}, headers=admin)
    assert r.status_code == 422 and r.json["error"]["field"] == "approver"
    r = c.post(url, json={"comment": "flood", "approver": "cs_a"}, headers=admin)
    assert r.status_code == 422 and r.json["error"]["field"] == "approver"  # a staff id, not a name
    r = c.post(url, json={"comment": "flood", "approver": world["users"]["admin"]}, headers=admin)
    assert r.status_code == 409 and "someone other than admin" in r.json["error"]["message"]
    assert c.get(url.rsplit("/transitions", 1)[0], headers=admin).json["status"] == "with_developer"
