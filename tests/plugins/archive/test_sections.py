"""Parts other plugins contribute (hook ``wuye_archive_sections``): shown after the archive's own,
logged when opened, counted for completeness; keys' and renovation's implementations; the unit
panel, the printable documents and the demo data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import ValidationError, hookimpl
from core.documents import render_html
from core.models import Party, RelationKind
from core.services.units import add_relation
from plugins.archive import access, archives, demo, panels, sections
from plugins.archive.models import ArchiveAccessEvent, CensusRound, OwnerArchive
from plugins.keys.models import KeySet
from tests.plugins.archive.conftest import NOW


class Contributor:
    """A plugin keeping a confidential part (a medical note) and proving the move-in handover form."""

    def __init__(self, level="confidential"):
        self.level = level

    @hookimpl
    def wuye_archive_sections(self, session, unit, party):
        return [{"key": "movein.handover", "title": "Handover", "title_zh": "交房记录", "level": self.level,
                 "columns": [("Date", "日期")], "rows": [[dt.date(2025, 1, 2)]], "provides": ["handover_form"]}]


@pytest.fixture
def contributor(wuye):
    plugin = Contributor()
    wuye.pm.register(plugin, name="artest")
    try:
        yield plugin
    finally:
        wuye.pm.unregister(plugin)


def test_a_contributed_part_counts_for_completeness_and_keeps_its_level(session, archive, specialist, contributor):
    assert "handover_form" not in [t.value for t in archives.missing_documents(session, archive)]
    part = sections.find_section(session, archive, "movein.handover")
    assert part.plugin == "artest" and part.confidential
    assert not access.open_section(session, specialist, archive, "movein.handover", now=NOW).granted
    contributor.level = "normal"
    result = access.open_section(session, specialist, archive, "movein.handover", now=NOW)
    assert result.granted and result.section.rows == [[dt.date(2025, 1, 2)]]
    assert session.scalar(select(func.count()).select_from(ArchiveAccessEvent)) == 2


def test_a_malformed_part_names_the_plugin(session, archive, contributor):
    contributor.level = "secret"
    with pytest.raises(ValidationError) as err:
        sections.all_sections(session, archive)
    assert "artest" in str(err.value)


def test_keys_contribute_the_units_key_sets(session, archive, units, estate):
    assert not any(s.key == "keys" for s in sections.all_sections(session, archive))
    session.add(KeySet(estate_id=estate.id, unit_id=units[0].id, tag_no="AR-0101", key_type="入户门", copies=3))
    session.flush()
    [keys] = [s for s in sections.all_sections(session, archive) if s.key == "keys"]
    assert keys.plugin == "keys" and keys.level == "normal" and keys.rows[0][:3] == ["AR-0101", "入户门", 3]
    assert keys.provides == []  # nothing issued to the owner on the register yet


def test_renovation_contributes_nothing_without_applications(session, archive):
    from plugins.renovation.archive_sections import archive_sections

    assert archive_sections(session, archive.unit, archive.party) == []


def test_unit_panel_shows_completeness_without_personal_data(session, archive, specialist, guard, stranger, units):
    [panel] = panels.unit_panels(session, specialist, units[0])
    row = panel.rows[0]
    assert row[0].text == archive.number and "李一" == row[1] and "owner_covenant" not in str(row[3])
    assert "业主公约" in str(row[3])
    assert "440301" not in repr(panel.rows)
    assert panels.unit_panels(session, guard, units[0]) == []
    assert panels.unit_panels(session, stranger, units[0])[0].rows == []
    assert session.scalar(select(func.count()).select_from(ArchiveAccessEvent)) == 0  # a panel is no opening


def test_the_contents_document_logs_and_shows_a_refusal(session, archive, specialist):
    html = render_html(session, specialist, "archive.contents", archive, params={"section": "identity"}, now=NOW)
    assert "绝密" in html or "approval" in html
    assert "440301198001010000" not in html
    cover = render_html(session, specialist, "archive.cover_sheet", archive, now=NOW)
    assert archive.number in cover and "商品房买卖合同" in cover
    outcomes = session.scalars(select(ArchiveAccessEvent.outcome).order_by(ArchiveAccessEvent.id)).all()
    assert [o.value for o in outcomes] == ["refused", "granted"]


def test_demo_data(session, wuye, make_estate):
    estate = make_estate("AD", units=6)
    units = sorted((u for b in estate.buildings for u in b.units), key=lambda u: u.id)
    for i, unit in enumerate(units):
        party = Party(name=f"业主{i}", phone=f"1390000000{i}")
        session.add(party)
        session.flush()
        add_relation(session, unit, party, RelationKind.owner, start_on=dt.date(2024, 1, 1))
    demo.build_demo(session, estate)
    made = list(session.scalars(select(OwnerArchive).where(OwnerArchive.estate_id == estate.id)))
    assert len(made) == 6
    missing = [archives.missing_documents(session, a, required=None) for a in made]
    assert sum(1 for m in missing if not m) >= 3 and any(missing)
    rnd = session.scalars(select(CensusRound).where(CensusRound.estate_id == estate.id)).one()
    assert len(rnd.entries) == 6 and sum(e.result.value != "pending" for e in rnd.entries) == 3
