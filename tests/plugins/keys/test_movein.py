"""Keys at move-in: issued only as an explicit act with the owner, or his agent holding the owner's
power of attorney, present (``issue_keys_at_move_in``); a unit's status change issues nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core import add_attachment
from core.errors import Conflict, ValidationError
from core.models import Party, RelationKind, Unit, UnitStatus
from core.services.units import add_relation, change_unit_status
from core.workflow import history
from plugins.keys import services
from plugins.keys.models import KeyLoan, KeyStatus, LoanKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def new_estate(make_estate):
    return make_estate("MV", units=3, status=UnitStatus.not_delivered)


@pytest.fixture
def new_units(session, new_estate):
    return list(session.scalars(select(Unit).where(Unit.estate_id == new_estate.id).order_by(Unit.id)))


@pytest.fixture
def mv_custodian(staff, new_estate):
    return staff("key_custodian", estates=[new_estate])


def _sealed_key(session, actor, unit, tag):
    ks = services.create_key_set(session, actor, estate_id=unit.estate_id, tag_no=tag, unit_id=unit.id)
    return services.receive_from_developer(session, actor, ks)


def _owner(session, unit, name="钱七"):
    party = Party(name=name, id_number="320101198001010011")
    session.add(party)
    session.flush()
    add_relation(session, unit, party, RelationKind.owner, start_on=dt.date(2024, 1, 1))
    return party


def _issue_lines(session):
    return list(session.scalars(select(KeyLoan).where(KeyLoan.kind == LoanKind.issue)))


def test_delivery_alone_issues_no_key(session, mv_custodian, new_units):
    unit = new_units[0]
    ks = _sealed_key(session, mv_custodian, unit, "A1")
    _owner(session, unit)
    change_unit_status(session, unit, UnitStatus.delivered, actor=mv_custodian)
    assert ks.status == KeyStatus.sealed and ks.holder_party_id is None
    assert _issue_lines(session) == []  # nobody signed: nothing on the register


def test_owner_in_person_signs_for_every_sealed_key(session, mv_custodian, new_units):
    unit = new_units[0]
    main, spare = _sealed_key(session, mv_custodian, unit, "M1"), _sealed_key(session, mv_custodian, unit, "M2")
    owner = _owner(session, unit)
    issued = services.issue_keys_at_move_in(session, mv_custodian, unit, owner=owner)
    assert [k.tag_no for k in issued] == ["M1", "M2"]
    assert main.status == spare.status == KeyStatus.issued_to_owner and main.holder_party_id == owner.id
    assert history(session, main)[-1].actor_id == mv_custodian.id
    lines = _issue_lines(session)
    assert {ln.key_set_id for ln in lines} == {main.id, spare.id}
    assert all(ln.borrower_name == "钱七" and not ln.by_agent and ln.borrower_party_id == owner.id for ln in lines)
    # defects pending: the owner leaves the spare in custody (KF08 §5.4.6)
    agreement = services.take_spare_into_custody(session, mv_custodian, spare, owner_id=owner.id)
    assert spare.status == KeyStatus.in_custody and agreement.reason == "repairs_pending"


def test_agent_with_power_of_attorney_signs_for_the_owner(session, mv_custodian, new_units):
    unit = new_units[1]
    ks = _sealed_key(session, mv_custodian, unit, "G1")
    owner = _owner(session, unit)
    letter = add_attachment(session, mv_custodian, ks, "委托书.pdf", PDF, kind="other")
    with pytest.raises(ValidationError) as err:
        services.issue_keys_at_move_in(session, mv_custodian, unit, owner=owner, agent_name="赵受托",
                                       agent_id_number="320101199001010022")
    assert err.value.field == "power_of_attorney_id" and ks.status == KeyStatus.sealed
    with pytest.raises(ValidationError) as err:
        services.issue_keys_at_move_in(session, mv_custodian, unit, owner=owner, agent_name="赵受托",
                                       power_of_attorney_id=letter.id)
    assert err.value.field == "agent_id_number"
    services.issue_keys_at_move_in(session, mv_custodian, unit, owner=owner, agent_name="赵受托",
                                   agent_id_number="320101199001010022", power_of_attorney_id=letter.id)
    (line,) = _issue_lines(session)
    assert (line.borrower_name, line.by_agent, line.power_of_attorney_id, line.borrower_party_id) == (
        "赵受托", True, letter.id, owner.id)
    assert ks.holder_party_id == owner.id  # the keys belong to the owner, the agent only signed


def test_refusals_change_nothing(session, mv_custodian, new_units, staff, new_estate):
    unit, other = new_units[0], new_units[2]
    ks = _sealed_key(session, mv_custodian, unit, "R1")
    stranger = _owner(session, other, name="外人")
    with pytest.raises(ValidationError) as err:
        services.issue_keys_at_move_in(session, mv_custodian, unit, owner=stranger)
    assert err.value.field == "owner_id" and ks.status == KeyStatus.sealed
    with pytest.raises(Conflict) as err:  # no sealed key of that unit in the office
        services.issue_keys_at_move_in(session, mv_custodian, other, owner=stranger)
    assert err.value.field == "key_set_id"
    assert _issue_lines(session) == []
