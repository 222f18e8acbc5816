"""The unit's page (房屋档案) and the party's page (业主档案): facts, owners with history, plugin panels."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.models import Party, RelationKind, UnitRelation


def _owner_of(factory, unit_id: int) -> Party:
    s = factory()
    party = s.scalar(select(Party).join(UnitRelation).where(UnitRelation.unit_id == unit_id))
    s.expunge(party)
    s.close()
    return party


def test_unit_page_shows_facts_owner_masked_phone_and_every_plugin_panel(client_as, world, factory):
    unit_id = world["units_a"][0]
    owner = _owner_of(factory, unit_id)
    r = client_as("cs_a").get(f"/admin/unit/{unit_id}/")
    assert r.status_code == 200, r.text[:500]
    html = r.text
    assert 'id="unit-label">1-101<' in html
    assert owner.name in html
    assert owner.phone not in html  # cs_specialist lacks view_sensitive: masked
    assert owner.phone[:3] + "****" + owner.phone[-4:] in html
    for key in ("billing", "renovation", "keys", "convenience"):
        assert f'id="panel-{key}"' in html, key


def test_unit_page_in_english_and_chinese(client_as, world):
    c = client_as("cs_a")
    unit_id = world["units_a"][0]
    zh = c.get(f"/admin/unit/{unit_id}/").text  # the test config's language is zh_CN
    assert "业主及住户" in zh and "欠费" in zh
    with c.session_transaction() as cookie:
        cookie["locale"] = "en"
    en = c.get(f"/admin/unit/{unit_id}/").text
    assert "Owners and occupants" in en and "Arrears" in en


def test_unit_page_shows_past_owners_with_dates(client_as, world, factory):
    unit_id = world["units_a"][1]
    s = factory()
    old = Party(name="前业主甲", phone="13800001111")
    s.add(old)
    s.flush()
    s.add(UnitRelation(unit_id=unit_id, party_id=old.id, kind=RelationKind.owner, start_on=dt.date(2019, 5, 1),
                       end_on=dt.date(2023, 12, 31)))
    s.commit()
    s.close()
    html = client_as("admin").get(f"/admin/unit/{unit_id}/").text
    assert "前业主甲" in html and "2019-05-01" in html and "2023-12-31" in html
    assert html.index("前业主甲") > html.index(_owner_of(factory, unit_id).name)  # current owners first


def test_unknown_unit_is_404(client_as):
    assert client_as("admin").get("/admin/unit/999999/").status_code == 404


def test_party_page_lists_units_and_links_the_unit_page(client_as, world, factory):
    unit_id = world["units_a"][0]
    owner = _owner_of(factory, unit_id)
    r = client_as("cs_a").get(f"/admin/party/{owner.id}/")
    assert r.status_code == 200, r.text[:500]
    assert f'href="/admin/unit/{unit_id}/"' in r.text
    assert 'id="panel-billing"' in r.text


def test_units_list_rows_link_the_unit_page(client_as, world):
    html = client_as("cs_a").get("/admin/core_units/").text
    assert f'/admin/unit/{world["units_a"][0]}/' in html


def test_a_failing_panel_is_skipped(client_as, world, app, monkeypatch):
    import plugins.keys.panels as keys_panels

    def broken(session, actor, unit):
        raise RuntimeError("boom")

    monkeypatch.setattr(keys_panels, "unit_panels", broken)
    r = client_as("cs_a").get(f"/admin/unit/{world['units_a'][0]}/")
    assert r.status_code == 200
    assert 'id="panel-keys"' not in r.text and 'id="panel-billing"' in r.text


def test_the_hooks_return_panels_and_hits_of_every_panel_plugin(app, world, factory):
    from core import Panel, SearchHit
    from core.models import StaffUser, Unit

    w = app.extensions["wuye"]
    s = factory()
    user = s.get(StaffUser, world["users"]["cs_a"])
    unit = s.get(Unit, world["units_a"][0])
    panels = [p for result in w.hook.wuye_unit_panels(session=s, actor=user, unit=unit) for p in result]
    assert all(isinstance(p, Panel) for p in panels)
    assert {p.key for p in panels} >= {"billing", "renovation", "keys", "convenience"}
    owner = _owner_of(factory, unit.id)
    party_panels = [p for result in w.hook.wuye_party_panels(session=s, actor=user, party=s.get(Party, owner.id))
                    for p in result]
    assert "billing" in {p.key for p in party_panels}
    hits = [h for result in w.hook.wuye_search(session=s, actor=user, query="RN-2026") for h in result]
    assert all(isinstance(h, SearchHit) for h in hits)
    s.close()


def test_owner_list_has_a_units_column_of_the_users_estates(client_as, world, factory):
    s = factory()
    party = s.scalar(select(Party).where(Party.name == "A业主1"))
    s.add(UnitRelation(unit_id=world["units_b"][2], party_id=party.id, kind=RelationKind.tenant,
                       start_on=dt.date(2024, 1, 1)))
    s.commit()
    s.close()
    cell = r'class="col-unit_labels">\s*([^<]*?)\s*<'
    import re

    clerk = client_as("cs_a").get("/admin/core_parties/?search=A业主1").text
    assert re.findall(cell, clerk) == ["1-101"]  # B's 1-103 is not the clerk's to see
    assert "房屋" in clerk
    admin = client_as("admin").get("/admin/core_parties/?search=A业主1").text
    assert re.findall(cell, admin) == ["1-101, 1-103"]
