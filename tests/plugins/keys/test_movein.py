"""Move-in through the core hook: a unit becoming ``delivered`` issues its sealed keys to the owner."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.models import Party, RelationKind, Unit, UnitStatus
from core.services.units import add_relation, change_unit_status
from core.workflow import history
from plugins.keys import services
from plugins.keys.models import KeyLoan, KeyStatus, LoanKind


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
    party = Party(name=name)
    session.add(party)
    session.flush()
    add_relation(session, unit, party, RelationKind.owner, start_on=dt.date(2024, 1, 1))
    return party


def test_delivery_issues_sealed_keys_to_the_owner(session, mv_custodian, new_units):
    unit = new_units[0]
    main, spare = _sealed_key(session, mv_custodian, unit, "M1"), _sealed_key(session, mv_custodian, unit, "M2")
    owner = _owner(session, unit)
    change_unit_status(session, unit, UnitStatus.delivered, actor=mv_custodian)
    assert main.status == spare.status == KeyStatus.issued_to_owner
    assert main.holder_party_id == owner.id
    assert history(session, main)[-1].actor_id == mv_custodian.id  # attributed to who delivered the unit
    lines = list(session.scalars(select(KeyLoan).where(KeyLoan.kind == LoanKind.issue)))
    assert {ln.key_set_id for ln in lines} == {main.id, spare.id}
    # the move-in plugin may then keep the spare in custody for defect repairs (KF08 §5.4.6)
    agreement = services.take_spare_into_custody(session, mv_custodian, spare, owner_id=owner.id)
    assert spare.status == KeyStatus.in_custody and agreement.reason == "repairs_pending"


def test_delivery_by_someone_without_keys_rights_is_done_by_the_system(session, staff, new_estate, new_units,
                                                                       mv_custodian):
    unit = new_units[1]
    ks = _sealed_key(session, mv_custodian, unit, "N1")
    _owner(session, unit)
    cashier = staff("cashier", estates=[new_estate])
    change_unit_status(session, unit, UnitStatus.delivered, actor=cashier)
    assert ks.status == KeyStatus.issued_to_owner
    assert history(session, ks)[-1].actor_id is None
    assert not session.info.get("wuye_system")  # the system flag was restored


def test_delivery_without_owner_or_sealed_keys_changes_no_key(session, mv_custodian, new_units):
    no_owner, with_developer = new_units[0], new_units[1]
    ks = _sealed_key(session, mv_custodian, no_owner, "P1")
    undelivered = services.create_key_set(session, mv_custodian, estate_id=with_developer.estate_id, tag_no="P2",
                                          unit_id=with_developer.id)
    _owner(session, with_developer)
    change_unit_status(session, no_owner, UnitStatus.delivered, actor=mv_custodian)
    change_unit_status(session, with_developer, UnitStatus.delivered, actor=mv_custodian)
    assert ks.status == KeyStatus.sealed and undelivered.status == KeyStatus.with_developer


def test_other_unit_events_are_ignored(session, mv_custodian, new_units):
    unit = new_units[2]
    ks = _sealed_key(session, mv_custodian, unit, "Q1")
    _owner(session, unit)  # owner_changed event
    change_unit_status(session, unit, UnitStatus.notified, actor=mv_custodian)
    assert ks.status == KeyStatus.sealed
