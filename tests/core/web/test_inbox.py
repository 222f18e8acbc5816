"""The inbox page, the top-bar count and the home page's to-dos."""

from __future__ import annotations

from .workplace_world import as_keeper, keepers


def test_inbox_lists_the_waiting_record_one_click_from_its_page(app, world, factory):
    ids = keepers(factory, world)
    client = as_keeper(app, "a")
    page = client.get("/admin/inbox/", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert f"/admin/keys_inventory_counts/details/?id={ids['a']}" in page.text
    assert 'id="inbox-count">1<' in page.text  # the top bar's badge
    details = client.get(f"/admin/keys_inventory_counts/details/?id={ids['a']}")
    assert details.status_code == 200
    only = client.get("/admin/inbox/?kind=keys.overdue")
    assert "keys_inventory_counts/details" not in only.text


def test_home_page_shows_the_to_do_card_and_the_top_to_dos(app, world, factory):
    ids = keepers(factory, world)
    home = as_keeper(app, "a").get("/admin/")
    assert home.status_code == 200
    assert 'id="home-todos"' in home.text and "待办" in home.text
    assert f"/admin/keys_inventory_counts/details/?id={ids['a']}" in home.text
    assert "/admin/dashboards/" in home.text


def test_inbox_api_lists_items_and_counts(app, world, factory, token_for):
    ids = keepers(factory, world)
    client = app.test_client()
    body = client.get("/api/v1/inbox", headers={"Authorization": f"Bearer {token_for('keeper_a')}"}).get_json()
    assert body["counts"]["transition:keys.inventory_count"]["count"] == 1
    assert [i["record_id"] for i in body["items"] if i["kind"] == "transition:keys.inventory_count"] == [ids["a"]]
    assert body["items"][0]["url"].startswith("/admin/keys_inventory_counts/details/")
    assert client.get("/api/v1/inbox").status_code == 401
