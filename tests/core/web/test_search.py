"""The search page (/admin/search/), the top-bar box and GET /api/v1/search."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.models import Building, Party, Unit


def _add_entrance_units(factory, estate_id: int) -> dict[str, int]:
    """Building 3 of the estate with entrances 1 and 2, room 1201 in each (the shape of the demo's 3-1-1201)."""
    s = factory()
    b = Building(estate_id=estate_id, code="3", name="3栋")
    s.add(b)
    s.flush()
    ids = {}
    for entrance in ("1", "2"):
        u = Unit(estate_id=estate_id, building_id=b.id, entrance=entrance, floor=12, room_no="1201")
        s.add(u)
        s.flush()
        ids[entrance] = u.id
    s.commit()
    s.close()
    return ids


def test_a_full_label_opens_the_unit_page(client_as, world, factory):
    ids = _add_entrance_units(factory, world["a"])
    c = client_as("cs_a")
    for typed in ("3-1-1201", "3栋1单元1201", "３－１－１２０１"):
        r = c.get("/admin/search/", query_string={"q": typed})
        assert r.status_code == 302, typed
        assert r.headers["Location"].endswith(f"/admin/unit/{ids['1']}/")


def test_building_and_room_lists_both_entrances(client_as, world, factory):
    ids = _add_entrance_units(factory, world["a"])
    html = client_as("cs_a").get("/admin/search/", query_string={"q": "3栋1201"}).text
    assert f"/admin/unit/{ids['1']}/" in html and f"/admin/unit/{ids['2']}/" in html
    assert "3-1-1201" in html and "3-2-1201" in html


def test_party_by_name_prefix_and_by_phone_tail_with_the_phone_masked(client_as, world):
    c = client_as("cs_a")
    html = c.get("/admin/search/", query_string={"q": "A业主"}).text
    assert "A业主1" in html and "A业主4" in html and "B业主" not in html
    # world phones are 1391234000i; the tail 0002 is A业主3's (and B业主3's, of the other estate)
    r = c.get("/admin/search/", query_string={"q": "0002"})
    assert r.status_code == 302  # the only hit in the clerk's estates
    html = c.get(r.headers["Location"]).text
    assert "A业主3" in html and "13912340002" not in html and "139****0002" in html


def test_more_digits_than_the_mask_shows_match_only_the_last_four(client_as, world, factory):
    s = factory()
    party = s.scalar(select(Party).where(Party.name == "A业主1"))
    party_id = party.id
    s.close()
    c = client_as("cs_a")  # no core.parties.view_sensitive: a wrong hidden digit must not narrow the hits
    r = c.get("/admin/search/", query_string={"q": "13999990000"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/admin/party/{party_id}/")


def test_nothing_found_says_so_naming_the_query(client_as):
    html = client_as("cs_a").get("/admin/search/", query_string={"q": "9-9-9999"}).text
    assert 'id="search-nothing"' in html and "9-9-9999" in html and "3-1-1201" in html


def test_too_long_query_is_explained(client_as):
    html = client_as("cs_a").get("/admin/search/", query_string={"q": "1" * 101}).text
    assert 'id="search-error"' in html and "100" in html


def test_topbar_box_is_on_every_page(client_as):
    html = client_as("cs_a").get("/admin/").text
    assert 'id="topbar-search"' in html and 'action="/admin/search/"' in html


def test_search_of_a_document_number_opens_it(client_as, world, factory):
    from plugins.billing.models import Payment

    s = factory()
    p = Payment(estate_id=world["a"], unit_id=world["units_a"][0], amount_fen=5000, method="cash",
                paid_on=dt.date(2026, 11, 1), receipt_no="RC-2026-000777")
    s.add(p)
    s.commit()
    pid = p.id
    s.close()
    r = client_as("admin").get("/admin/search/", query_string={"q": "rc-2026-000777"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/admin/billing_payments/details/?id={pid}")


# --- API -------------------------------------------------------------------------------------
def test_api_search_groups_hits(api_client, world, factory):
    _add_entrance_units(factory, world["a"])
    body = api_client("cs_a").get("/api/v1/search?q=3-1-1201").get_json()
    assert body["query"] == "3-1-1201"
    (group,) = body["groups"]
    assert group["title"] == "Units" and [h["title"] for h in group["hits"]] == ["3-1-1201"]
    assert group["hits"][0]["page"] == "unit" and group["hits"][0]["kind_zh"] == "房屋"


def test_api_search_bad_input_is_422_naming_q(api_client, world):
    c = api_client("cs_a")
    for q in ("", "   ", "x" * 101):
        r = c.get("/api/v1/search", query_string={"q": q})
        assert r.status_code == 422, q
        assert r.get_json()["error"]["field"] == "q"
    assert "3-1-1201" in c.get("/api/v1/search").get_json()["error"]["message"]


def test_api_unit_and_party_overview(api_client, world):
    c = api_client("cs_a")
    body = c.get(f"/api/v1/units/{world['units_a'][0]}/overview").get_json()
    assert body["unit"]["label"] == "1-101"
    (owner,) = body["relations"]
    assert owner["kind"] == "owner" and owner["current"] and "****" in owner["party"]["phone"]
    assert [p["plugin"] for p in body["panels"]][:1] == ["billing"]
    assert {p["plugin"] for p in body["panels"]} >= {"billing", "renovation", "keys", "convenience"}
    money = dict((f["label"], f["value"]) for f in body["panels"][0]["facts"])["Arrears"]
    assert money == {"fen": 0, "text": "¥0.00"}
    party = c.get(f"/api/v1/parties/{owner['party']['id']}/overview").get_json()
    assert party["party"]["name"] == owner["party"]["name"]
    assert [r["unit"]["id"] for r in party["relations"]] == [world["units_a"][0]]


def test_openapi_documents_the_workplace(api_client, world):
    doc = api_client("cs_a").get("/api/v1/openapi.json").get_json()
    assert "/api/v1/search" in doc["paths"]
    assert "/api/v1/units/{ident}/overview" in doc["paths"] and "/api/v1/parties/{ident}/overview" in doc["paths"]
    assert doc["paths"]["/api/v1/search"]["get"]["parameters"][0]["schema"]["maxLength"] == 100


def test_api_overview_of_an_id_beyond_the_key_range_is_404(api_client, world):
    c = api_client("cs_a")
    assert c.get("/api/v1/units/99999999999/overview").status_code == 404
    assert c.get("/api/v1/parties/0/overview").status_code == 404
