"""Staff of estate A never see B's to-dos or B's numbers (page, top bar, API, Excel export)."""

from __future__ import annotations

from .workplace_world import as_keeper, keepers


def test_inbox_of_a_shows_nothing_of_b(app, world, factory, token_for):
    ids = keepers(factory, world)
    page = as_keeper(app, "a").get("/admin/inbox/")
    assert f"details/?id={ids['a']}" in page.text and f"details/?id={ids['b']}" not in page.text
    body = app.test_client().get("/api/v1/inbox", headers={"Authorization": f"Bearer {token_for('keeper_a')}"})
    assert {i["estate_id"] for i in body.get_json()["items"]} == {world["a"]}


def test_dashboards_of_another_estate_are_404(app, world, client_as, token_for):
    client = client_as("cs_a")
    assert client.get(f"/admin/dashboards/?estate={world['b']}").status_code == 404
    assert client.get(f"/admin/dashboards/billing-collection-by-month.xlsx?estate={world['b']}").status_code == 404
    assert client.get("/admin/dashboards/?estate=x").status_code == 404
    page = client.get("/admin/dashboards/")
    assert f'value="{world["b"]}"' not in page.text  # B is not even offered
    api = app.test_client()
    auth = {"Authorization": f"Bearer {token_for('cs_a')}"}
    assert api.get(f"/api/v1/dashboards?estate={world['b']}", headers=auth).status_code == 404
    assert api.get("/api/v1/dashboards?estate=abc", headers=auth).status_code == 422
    assert api.get(f"/api/v1/dashboards?estate={10**20}", headers=auth).status_code == 404
    doc = api.get("/api/v1/openapi.json", headers=auth).get_json()
    assert {"/api/v1/inbox", "/api/v1/dashboards", "/api/v1/dashboards/{chart_id}"} <= set(doc["paths"])
    charts = api.get("/api/v1/dashboards", headers=auth).get_json()["charts"]
    assert {c["estate_id"] for c in charts} <= {world["a"]}
