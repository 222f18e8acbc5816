"""Issuing keys to owners, custody agreements (钥匙托管书), taking into and releasing custody."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core import Conflict, PermissionDenied, ValidationError, WorkflowError, apply, utcnow
from core.models import Party
from plugins.keys import services
from plugins.keys.models import CustodyStatus, KeyLoan, KeyStatus, LoanKind, LoanStatus

from .snapshots import assert_unchanged, snapshot


def _issue_lines(session, ks):
    return list(session.scalars(select(KeyLoan).where(KeyLoan.key_set_id == ks.id, KeyLoan.kind == LoanKind.issue)
                                .order_by(KeyLoan.id)))


def test_issue_to_owner_writes_the_register(session, custodian, make_key, owners):
    ks = make_key(0)
    services.issue_to_owner(session, custodian, ks)
    assert ks.status == KeyStatus.issued_to_owner and ks.holder_party_id == owners[0].id
    [line] = _issue_lines(session, ks)
    assert line.status == LoanStatus.issued and line.borrower_name == "王一" and line.borrower_party_id == owners[0].id
    assert line.number.startswith("KL-") and line.from_status == "sealed" and line.issued_by_id == custodian.id


def test_issue_to_a_non_owner_is_refused(session, custodian, make_key, owners):
    ks = make_key(0)
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        services.issue_to_owner(session, custodian, ks, owner=owners[1])
    assert exc.value.field == "owner_id" and f"王二 does not own unit {ks.unit.label}" in exc.value.message
    with pytest.raises(WorkflowError, match="does not own unit"):
        apply(session, ks, "issue_to_owner", custodian, owner_id=owners[1].id)
    with pytest.raises(WorkflowError, match="name the owner"):
        apply(session, ks, "issue_to_owner", custodian)
    assert_unchanged(session, before)


def test_issue_refused_for_facility_keys_unsealed_keys_and_ownerless_units(session, custodian, make_key, room,
                                                                           units):
    fk, unsealed, ownerless = make_key(room=room), make_key(0, sealed=False), make_key(1)
    before = snapshot(session)
    with pytest.raises(Conflict, match="facility room"):
        services.issue_to_owner(session, custodian, fk)
    with pytest.raises(WorkflowError, match="facility room"):
        apply(session, fk, "issue_to_owner", custodian, owner_id=1)
    with pytest.raises(Conflict, match="with_developer"):
        services.issue_to_owner(session, custodian, unsealed)
    with pytest.raises(ValidationError, match="no owner on record"):
        services.issue_to_owner(session, custodian, ownerless)
    assert_unchanged(session, before)


def test_agreement_records_the_owners_confirmation(session, agreement, custodian, units, owners, today):
    assert agreement.status == CustodyStatus.active and agreement.number.startswith("KC-")
    assert agreement.permitted_uses == ["repairs", "inspection"]
    assert agreement.authorised_persons == [{"name": "王一", "relation": "本人"}]
    assert agreement.witnessed_by_id == custodian.id and agreement.owner_confirmed_at is not None
    assert agreement.covers(today) and not agreement.covers(today + dt.timedelta(days=31))


def test_agreement_for_a_non_owner_is_refused(session, custodian, units, owners, today):
    stranger = Party(name="赵六")
    session.add(stranger)
    session.flush()
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        services.create_custody_agreement(session, custodian, unit_id=units[0].id, owner_id=stranger.id,
                                          reason="vacancy", permitted_uses=["inspection"],
                                          start_on=today)
    assert exc.value.field == "owner_id"
    assert f"赵六 does not own unit {units[0].label}" in exc.value.message
    with pytest.raises(ValidationError, match="王一 does not own unit"):  # owner only from 2024-01-01
        services.create_custody_agreement(session, custodian, unit_id=units[0].id, owner_id=owners[0].id,
                                          reason="vacancy", permitted_uses=["inspection"],
                                          start_on=dt.date(2023, 12, 31))
    assert_unchanged(session, before)


@pytest.mark.parametrize("change, field", [
    ({"reason": "holiday"}, "reason"),
    ({"permitted_uses": []}, "permitted_uses"),
    ({"permitted_uses": ["repairs", "party"]}, "permitted_uses"),
    ({"end_on": dt.date(2020, 1, 1)}, "end_on"),
    ({"authorised_persons": [{"phone": "1"}]}, "authorised_persons"),
    ({"confirmation_channel": "telepathy"}, "confirmation_channel"),
    ({"owner_confirmed_at": dt.datetime(2099, 1, 1, tzinfo=dt.UTC)}, "owner_confirmed_at"),
    ({"owner_confirmed_at": dt.datetime(2024, 1, 1)}, "owner_confirmed_at"),
    ({"witnessed_by_id": 999999}, "witnessed_by_id"),
])
def test_agreement_input_is_validated(session, custodian, units, owners, today, change, field):
    before = snapshot(session)
    kw = {"unit_id": units[0].id, "owner_id": owners[0].id, "reason": "vacancy", "permitted_uses": ["inspection"],
          "start_on": today} | change
    with pytest.raises(ValidationError) as exc:
        services.create_custody_agreement(session, custodian, **kw)
    assert exc.value.field == field
    assert_unchanged(session, before)


def test_one_active_agreement_per_unit(session, agreement, custodian, units, owners, outsider, today):
    before = snapshot(session)
    with pytest.raises(Conflict, match=agreement.number):
        services.create_custody_agreement(session, custodian, unit_id=units[0].id, owner_id=owners[0].id,
                                          reason="vacancy", permitted_uses=["inspection"], start_on=today)
    with pytest.raises(PermissionDenied):
        services.create_custody_agreement(session, outsider, unit_id=units[1].id, owner_id=owners[1].id,
                                          reason="vacancy", permitted_uses=["inspection"], start_on=today)
    assert_unchanged(session, before)


def test_take_into_custody_and_end_the_agreement(session, custodian, make_key, agreement, owners):
    ks = make_key(0)
    services.issue_to_owner(session, custodian, ks)
    services.take_into_custody(session, custodian, ks)
    assert ks.status == KeyStatus.in_custody and agreement.key_set_id == ks.id
    services.end_custody_agreement(session, custodian, agreement, note="业主回来了")
    assert agreement.status == CustodyStatus.ended and agreement.end_note == "业主回来了"
    assert ks.status == KeyStatus.issued_to_owner and ks.holder_party_id == owners[0].id
    lines = _issue_lines(session, ks)
    assert [ln.from_status for ln in lines] == ["sealed", "in_custody"]
    before = snapshot(session)
    with pytest.raises(Conflict, match="already ended"):
        services.end_custody_agreement(session, custodian, agreement)
    assert_unchanged(session, before)


def test_take_into_custody_needs_an_active_agreement(session, custodian, make_key, owners, room, agreement,
                                                     today):
    ks, fk, no_agreement = make_key(0), make_key(room=room), make_key(1)
    before = snapshot(session)
    with pytest.raises(Conflict) as exc:
        services.take_into_custody(session, custodian, no_agreement)
    assert exc.value.field == "custody_agreement"
    with pytest.raises(WorkflowError, match="no active custody agreement"):
        apply(session, no_agreement, "take_into_custody", custodian)
    with pytest.raises(Conflict, match="facility room"):
        services.take_into_custody(session, custodian, fk)
    agreement.end_on = today - dt.timedelta(days=1)  # expired yesterday
    session.flush()
    before = snapshot(session)
    with pytest.raises(Conflict):
        services.take_into_custody(session, custodian, ks)
    assert_unchanged(session, before)


def test_take_into_custody_refused_from_the_wrong_state(session, custodian, make_key, agreement, outsider):
    ks = make_key(0, sealed=False)
    before = snapshot(session)
    with pytest.raises(Conflict, match="with_developer"):
        services.take_into_custody(session, custodian, ks)
    assert_unchanged(session, before)
    services.receive_from_developer(session, custodian, ks)
    with pytest.raises(PermissionDenied, match="keys.custody"):
        services.take_into_custody(session, outsider, ks)
    assert_unchanged(session, snapshot(session))


def test_take_spare_into_custody_at_move_in(session, custodian, make_key, owners, units):
    ks = make_key(0)
    agreement = services.take_spare_into_custody(session, custodian, ks, owner_id=owners[0].id,
                                                 reason_detail="入伙遗留问题待整改")
    assert ks.status == KeyStatus.in_custody and agreement.key_set_id == ks.id
    assert agreement.reason == "repairs_pending" and agreement.permitted_uses == ["repairs", "inspection"]
    assert ks.holder_party_id == owners[0].id


def test_take_spare_for_a_non_owner_changes_nothing(session, custodian, make_key, owners):
    ks = make_key(0)
    before = snapshot(session)
    with pytest.raises(ValidationError, match="王二 does not own unit"):
        services.take_spare_into_custody(session, custodian, ks, owner_id=owners[1].id)
    assert_unchanged(session, before)
    assert ks.status == KeyStatus.sealed


def test_release_custody_ends_the_agreement(session, custodian, make_key, owners):
    ks = make_key(0)
    agreement = services.take_spare_into_custody(session, custodian, ks, owner_id=owners[0].id)
    services.release_custody(session, custodian, ks, note="整改完成")
    assert ks.status == KeyStatus.issued_to_owner
    assert agreement.status == CustodyStatus.ended and agreement.ended_by_id == custodian.id
    before = snapshot(session)
    with pytest.raises(Conflict):
        services.release_custody(session, custodian, ks)
    assert_unchanged(session, before)


def test_agreement_cannot_end_while_the_key_is_lent(session, custodian, supervisor, make_key, owners, lend):
    ks = make_key(0)
    agreement = services.take_spare_into_custody(session, custodian, ks, owner_id=owners[0].id)
    lend(session, ks, purpose="repairs", escort_id=supervisor.id, consent_by="王一",
         consent_at=utcnow(), consent_channel="phone")
    before = snapshot(session)
    with pytest.raises(Conflict, match="out on loan"):
        services.end_custody_agreement(session, custodian, agreement)
    with pytest.raises(WorkflowError, match="out on loan"):
        apply(session, agreement, "end", custodian)
    assert_unchanged(session, before)
