"""The move-in case from the notice to the keys: documents, fees first, inspection with defects,
signature, keys to the owner or his agent, and the unit delivered."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import WorkflowError
from core.models import UnitStatus
from plugins.keys.models import KeyLoan, KeySet, KeyStatus, LoanKind
from plugins.move_in import services

from .conftest import DOCUMENTS


def test_documents_checklist_needs_ids_contract_and_photos(mi):
    case = mi.notice()
    for missing, word in ((DOCUMENTS | {"id_checked": False}, "ID"), (DOCUMENTS | {"contract_checked": False}, "contract"),
                          (DOCUMENTS | {"persons": 2}, "photos")):  # 2 photos per person by default
        with pytest.raises(WorkflowError) as err:
            services.transition(mi.session, mi.clerk, case, "check_documents", **missing)
        assert word in str(err.value) and case.status == "notified"
    services.transition(mi.session, mi.clerk, case, "check_documents", **(DOCUMENTS | {"persons": 2, "photos_count": 4}))
    assert case.status == "documents_checked" and (case.persons, case.photos_count) == (2, 4)


def test_one_photo_per_person_as_a_company_setting(mi, monkeypatch):
    from core import settings_of
    from plugins.move_in.settings import Settings

    wuye = mi.session.info["wuye"]
    monkeypatch.setitem(wuye.registry.plugin_settings, "move_in", Settings().load({"photos_per_person": 1}))
    assert settings_of(mi.session, "move_in")["photos_per_person"] == 1
    case = mi.notice()
    services.transition(mi.session, mi.clerk, case, "check_documents", **(DOCUMENTS | {"photos_count": 1}))
    assert case.status == "documents_checked"


def test_photos_setting_is_one_or_two():
    from core.errors import PluginError
    from core.testing import boot

    assert boot(["billing", "keys", "move_in"]).settings("move_in")["photos_per_person"] == 2
    with pytest.raises(PluginError) as err:
        boot(["billing", "keys", "move_in"], plugin_settings={"move_in": {"photos_per_person": 3}})
    assert "photos_per_person" in str(err.value)


def test_fees_come_first(mi):
    case = mi.to_state(mi.notice(), "check_documents")
    line = mi.charge(case, 12000)
    assert line.source == f"move_in:case:{case.id}"
    assert services.open_amount_fen(mi.session, case) == 12000
    with pytest.raises(WorkflowError) as err:
        services.transition(mi.session, mi.cashier, case, "confirm_fees")
    assert "120.00" in str(err.value) and case.status == "documents_checked"
    mi.pay(mi.units[0], 12000)
    services.transition(mi.session, mi.cashier, case, "confirm_fees")
    assert case.status == "fees_paid" and case.open_at_check_fen == 0 and case.fees_paid_at is not None


def test_end_to_end_keys_to_the_owner_and_the_unit_delivered(mi):
    case = mi.to_state(mi.notice(), "confirm_fees")
    defect = services.record_defect(mi.session, mi.clerk, case_id=case.id, location="主卧", description="窗户密封条脱落")
    assert defect.due_on == mi.day.__class__(2026, 3, 17)  # one week (KF08 §5.4.5)
    mi.to_state(case, "complete", inspect={"water_reading": "0001", "electricity_reading": "0002"})
    assert case.status == "done" and case.water_reading == "0001" and case.signed_by_name == "林业主"
    assert mi.units[0].status == UnitStatus.delivered and mi.units[0].delivered_on is not None
    (ks,) = mi.session.scalars(select(KeySet).where(KeySet.unit_id == mi.units[0].id))
    assert ks.status == KeyStatus.issued_to_owner and ks.holder_party_id == mi.owner.id and case.keys_count == 1
    line = mi.session.scalar(select(KeyLoan).where(KeyLoan.key_set_id == ks.id, KeyLoan.kind == LoanKind.issue))
    assert line.borrower_name == "林业主" and not line.by_agent and case.number in line.purpose_detail


def test_an_agent_with_a_power_of_attorney_receives_the_keys(mi):
    case = mi.notice()
    with pytest.raises(WorkflowError) as err:  # an agent without the letter is refused
        services.transition(mi.session, mi.clerk, case, "check_documents",
                            **(DOCUMENTS | {"agent_name": "代办人", "agent_id_number": "320101199901010099"}))
    assert "power of attorney" in str(err.value)
    letter = mi.letter(case)
    mi.to_state(case, "issue_keys", check_documents={"agent_name": "代办人", "agent_id_number": "320101199901010099",
                                                     "power_of_attorney_id": letter.id})
    assert case.signed_by_name == "代办人"
    line = mi.session.scalar(select(KeyLoan).where(KeyLoan.kind == LoanKind.issue))
    assert (line.borrower_name, line.by_agent, line.power_of_attorney_id, line.borrower_party_id) == (
        "代办人", True, letter.id, mi.owner.id)


def test_a_case_cannot_skip_the_fees(mi):
    case = mi.to_state(mi.notice(), "check_documents")
    with pytest.raises(WorkflowError):
        services.transition(mi.session, mi.clerk, case, "inspect")
    assert case.status == "documents_checked"
