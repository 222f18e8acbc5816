"""Estate scoping of the workplace (issue 15, bad input): a clerk of estate A finds nothing of estate B by
search (units, parties, documents), gets 404 on B's unit page, party page and overviews, and panels never
show B's records. The two estates of ``world`` have the same rooms, names and phone tails on purpose."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from core.models import Party, RelationKind, UnitRelation


def _party(factory, name: str) -> int:
    s = factory()
    pid = s.scalar(select(Party.id).where(Party.name == name))
    s.close()
    return pid


@pytest.mark.parametrize("q", ["1-101", "101", "B业主", "0001", "RC-2026-000888", "RN-", "KL-", "CV-"])
def test_search_finds_nothing_of_the_other_estate(client_as, api_client, world, factory, q):
    from plugins.billing.models import Payment

    s = factory()
    s.add(Payment(estate_id=world["b"], unit_id=world["units_b"][0], amount_fen=100, method="cash",
                  paid_on=dt.date(2026, 11, 2), receipt_no="RC-2026-000888"))
    s.commit()
    s.close()
    body = api_client("cs_a").get("/api/v1/search", query_string={"q": q}).get_json()
    hits = [h for g in body["groups"] for h in g["hits"]]
    b_units = set(world["units_b"])
    assert not [h for h in hits if h["page"] == "unit" and h["id"] in b_units]
    assert not [h for h in hits if "B业主" in h["title"] or h["title"] == "RC-2026-000888"]
    r = client_as("cs_a").get("/admin/search/", query_string={"q": q})
    if r.status_code == 302:  # the one hit opened directly: it is estate A's
        assert not any(r.headers["Location"].endswith(f"/admin/unit/{u}/") for u in b_units)
    else:
        shown = " ".join(re.findall(r'<li class="list-group-item wuye-hit">(.*?)</li>', r.text, re.S))
        assert "B业主" not in shown and "RC-2026-000888" not in shown and "Estate B" not in shown
    if q in ("B业主", "RC-2026-000888"):
        assert 'id="search-nothing"' in r.text


def test_pages_and_overviews_of_the_other_estate_are_404(client_as, api_client, world, factory):
    unit_b, party_b = world["units_b"][0], _party(factory, "B业主1")
    c, api = client_as("cs_a"), api_client("cs_a")
    assert c.get(f"/admin/unit/{unit_b}/").status_code == 404
    assert c.get(f"/admin/party/{party_b}/").status_code == 404
    assert api.get(f"/api/v1/units/{unit_b}/overview").status_code == 404
    assert api.get(f"/api/v1/parties/{party_b}/overview").status_code == 404
    # the general manager sees both
    assert client_as("admin").get(f"/admin/unit/{unit_b}/").status_code == 200


def test_a_party_of_both_estates_shows_only_the_clerks_estate(client_as, world, factory):
    from plugins.billing.models import Payment

    s = factory()
    party_a = s.get(Party, _party(factory, "A业主1"))
    s.add(UnitRelation(unit_id=world["units_b"][1], party_id=party_a.id, kind=RelationKind.owner,
                       start_on=dt.date(2024, 1, 1)))
    s.add(Payment(estate_id=world["b"], unit_id=world["units_b"][1], amount_fen=100, method="cash",
                  paid_on=dt.date(2026, 11, 2), receipt_no="RC-2026-000999"))
    s.commit()
    pid = party_a.id
    s.close()
    html = client_as("cs_a").get(f"/admin/party/{pid}/").text
    assert f"/admin/unit/{world['units_a'][0]}/" in html
    assert f"/admin/unit/{world['units_b'][1]}/" not in html and "Estate B" not in html
    assert "RC-2026-000999" not in html
    assert f"/admin/unit/{world['units_b'][1]}/" in client_as("admin").get(f"/admin/party/{pid}/").text


def test_guard_without_unit_permission_may_not_open_unit_pages(client_as, world):
    r = client_as("guard_a").get(f"/admin/unit/{world['units_a'][0]}/")
    assert r.status_code in (403, 200)
    if r.status_code == 200:  # a guard role that may view units still sees no billing
        assert 'id="panel-billing"' not in r.text
