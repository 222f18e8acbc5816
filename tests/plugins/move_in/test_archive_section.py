"""Move-in's parts of the owner archive (hook ``wuye_archive_sections`` of the archive plugin), with
both plugins enabled: the case and its defects are a normal part that proves the move-in documents
for the completeness check; the IDs, the contract and the agent are a confidential part, refused
(and logged) without the office manager's approval."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core import add_attachment, business_date
from plugins.move_in import services
from tests.plugins.move_in.conftest import PDF

NOW = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)
PROVED = ("receipt_form", "handover_form", "owner_covenant", "fire_safety_letter")


@pytest.fixture
def owner_archive(mi, wuye):
    if not wuye.is_enabled("archive"):
        pytest.skip("the archive plugin is not enabled (WUYE_TEST_PLUGINS)")
    from plugins.archive import archives

    with business_date(mi.session, mi.day):
        return archives.register_archive(mi.session, mi.sup, mi.units[0], mi.owner, opened_on=mi.day)


def _missing(session, archive) -> set[str]:
    from plugins.archive import archives

    return {t.value for t in archives.missing_documents(session, archive)}


def _part(session, archive, key):
    from plugins.archive import sections

    return next((s for s in sections.all_sections(session, archive) if s.key == key), None)


def test_no_case_no_part(mi, owner_archive):
    assert _part(mi.session, owner_archive, "move_in") is None
    assert set(PROVED) <= _missing(mi.session, owner_archive)


def test_the_signed_case_proves_the_move_in_documents(mi, owner_archive):
    s = mi.session
    with business_date(s, mi.day):
        case = mi.notice()
        mi.to_state(case, "check_documents")
        part = _part(s, owner_archive, "move_in")
        assert part.plugin == "move_in" and part.level == "normal" and part.provides == ["receipt_form"]
        assert "handover_form" in _missing(s, owner_archive) and "receipt_form" not in _missing(s, owner_archive)
        mi.to_state(case, "confirm_fees")
        services.record_defect(s, mi.clerk, case_id=case.id, location="主卧", description="窗户漏风",
                               responsible="developer")
        mi.to_state(case, "sign", sign={"signed_by_name": "林业主"})
    part = _part(s, owner_archive, "move_in")
    assert set(part.provides) == set(PROVED) and not set(PROVED) & _missing(s, owner_archive)
    [row, defect] = part.rows
    assert row[0] == case.number and row[1] == "已签收楼确认书" and row[6] == "林业主" and row[4] == "1人/2张"
    assert defect[:2] == [case.number, "整改项"] and "窗户漏风" in defect[4] and defect[5] == "开发商保修"
    assert part.links == [{"text": case.number, "view": "move_in_cases", "record_id": case.id}]


def test_ids_and_contract_are_confidential_and_need_the_managers_approval(mi, owner_archive):
    from plugins.archive import access
    from plugins.archive.models import ArchiveAccessEvent

    s = mi.session
    with business_date(s, mi.day):
        case = mi.notice()
        power = mi.letter(case)
        mi.to_state(case, "check_documents", check_documents={"agent_name": "林代理", "power_of_attorney_id": power.id,
                                                              "agent_id_number": "320101199001010033"})
        add_attachment(s, mi.clerk, case, "身份证.pdf", PDF, kind="id_copy")
        add_attachment(s, mi.clerk, case, "合同.pdf", PDF, kind="contract")
        add_attachment(s, mi.clerk, case, "交房照片.pdf", PDF, kind="photo")
    normal = access.open_section(s, mi.clerk, owner_archive, "move_in", now=NOW)
    assert normal.granted and "320101199001010033" not in repr(normal.section.rows)
    refused = access.open_section(s, mi.clerk, owner_archive, "move_in.identity", now=NOW)
    assert not refused.granted and "绝密" in refused.message.zh and refused.section is None
    outcomes = s.scalars(select(ArchiveAccessEvent.outcome).where(ArchiveAccessEvent.archive_id == owner_archive.id)
                         .order_by(ArchiveAccessEvent.id)).all()
    assert [o.value for o in outcomes] == ["granted", "refused"]
    part = _part(s, owner_archive, "move_in.identity")  # what an approved opening shows
    assert part.confidential
    files = {row[1]: row[2] for row in part.rows[1:]}
    assert files == {"业主委托书": "委托书.pdf", "身份证复印件": "身份证.pdf", "购房合同": "合同.pdf"}  # no photo
    assert part.rows[0][3:5] == ["林代理", "320101199001010033"] and "购房合同已核验：是" in part.rows[0][2]


def test_an_archive_of_another_owner_gets_nothing_of_this_case(mi, owner_archive):
    from core.models import Party, RelationKind
    from core.services.units import add_relation
    from plugins.archive import archives

    s = mi.session
    with business_date(s, mi.day):
        mi.to_state(mi.notice(), "sign")
        spouse = Party(name="林太太")
        s.add(spouse)
        s.flush()
        add_relation(s, mi.units[0], spouse, RelationKind.owner, start_on=dt.date(2025, 12, 1))
        other = archives.register_archive(s, mi.sup, mi.units[0], spouse, opened_on=mi.day)
    assert _part(s, other, "move_in") is None and "handover_form" in _missing(s, other)
