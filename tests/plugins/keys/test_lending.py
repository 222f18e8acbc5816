"""The lending register (钥匙领(借)用登记表): lend, return and every refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from core import Conflict, PermissionDenied, ValidationError, WorkflowError, apply, utcnow
from plugins.keys import services
from plugins.keys.models import KeyStatus, LoanKind, LoanStatus, ReturnCondition

from .snapshots import assert_unchanged, snapshot


def test_lend_and_return_an_office_key(session, custodian, supervisor, make_key, room, lend):
    ks = make_key(room=room)
    # lent at 23:30 UTC on New Year's Eve: already 2027 at the estate (Asia/Shanghai), so the year of the number
    issued = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    loan = lend(session, ks, escort_id=custodian.id, borrower_phone="13800000000", issued_at=issued,
                expected_return_at=issued + dt.timedelta(hours=2))
    assert loan.number == "KL-2027-000001" and loan.kind == LoanKind.lend
    assert (loan.status, loan.from_status, ks.status) == (LoanStatus.out, "sealed", KeyStatus.lent)
    assert (loan.approved_by_id, loan.issued_by_id, loan.escort_id) == (supervisor.id, custodian.id, custodian.id)
    services.return_key(session, custodian, ks, condition="damaged", notes="钥匙齿磨损",
                        returned_at=issued + dt.timedelta(hours=1))
    assert ks.status == KeyStatus.sealed
    assert loan.status == LoanStatus.returned and loan.return_condition == ReturnCondition.damaged
    assert loan.returned_at >= loan.issued_at and loan.returned_by_name == "张师傅"
    assert loan.received_by_id == custodian.id


def test_lending_a_key_already_out_is_a_conflict(session, make_key, lend):
    ks = make_key(0)
    first = lend(session, ks)
    before = snapshot(session)
    with pytest.raises(Conflict) as exc:
        lend(session, ks, borrower_name="李四")
    assert exc.value.field == "key_set_id" and first.number in exc.value.message
    assert_unchanged(session, before)


def test_returning_a_key_not_out_is_a_conflict(session, custodian, make_key, lend):
    ks = make_key(0)
    before = snapshot(session)
    with pytest.raises(Conflict, match="not out on loan"):
        services.return_key(session, custodian, ks)
    with pytest.raises(WorkflowError):
        apply(session, ks, "return", custodian)
    assert_unchanged(session, before)
    lend(session, ks)
    services.return_key(session, custodian, ks)
    before = snapshot(session)
    with pytest.raises(Conflict, match="not out on loan"):
        services.return_key(session, custodian, ks)
    assert_unchanged(session, before)


@pytest.mark.parametrize("change, field", [
    ({"expected_return_at": "issued"}, "expected_return_at"),
    ({"expected_return_at": "before"}, "expected_return_at"),
    ({"expected_return_at": None}, "expected_return_at"),
    ({"expected_return_at": "naive"}, "expected_return_at"),
    ({"borrower_name": "  "}, "borrower_name"),
    ({"purpose": "picnic"}, "purpose"),
    ({"copies": 3}, "copies"),
    ({"approved_by_id": None}, "approved_by_id"),
    ({"approved_by_id": 999999}, "approved_by_id"),
    ({"escort_id": 999999}, "escort_id"),
])
def test_lend_input_is_validated(session, make_key, lend, change, field):
    ks = make_key(0, copies=2)
    now = utcnow()
    special = {"issued": now, "before": now - dt.timedelta(minutes=1), "naive": dt.datetime(2030, 1, 1)}
    change = {k: special.get(v, v) if isinstance(v, str) else v for k, v in change.items()}
    if change.get("expected_return_at") is now:
        change["issued_at"] = now
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        lend(session, ks, **change)
    assert exc.value.field == field
    assert_unchanged(session, before)


def test_approver_needs_keys_approve_loan(session, make_key, lend, staff, estate):
    ks = make_key(0)
    specialist = staff("cs_specialist", estates=[estate])  # may lend, may not approve
    before = snapshot(session)
    with pytest.raises(ValidationError, match="keys.approve_loan") as exc:
        lend(session, ks, actor=specialist, approved_by_id=specialist.id)
    assert exc.value.field == "approved_by_id"
    assert_unchanged(session, before)
    assert lend(session, ks, actor=specialist).approved_by_id != specialist.id


def test_lending_needs_keys_lend_and_the_estate(session, make_key, lend, outsider, staff, make_estate):
    ks = make_key(0)
    elsewhere = staff("key_custodian", estates=[make_estate("EL", units=1)])
    before = snapshot(session)
    with pytest.raises(PermissionDenied, match="keys.lend"):
        lend(session, ks, actor=outsider)
    with pytest.raises(PermissionDenied):
        lend(session, ks, actor=elsewhere)
    assert_unchanged(session, before)


def test_only_sealed_or_custody_keys_are_lent(session, custodian, make_key, lend, owners):
    undelivered, issued = make_key(0, sealed=False), make_key(1)
    services.issue_to_owner(session, custodian, issued)
    before = snapshot(session)
    for ks in (undelivered, issued):
        with pytest.raises(Conflict) as exc:
            lend(session, ks)
        assert exc.value.field == "status"
    assert_unchanged(session, before)


def test_the_engine_refuses_lend_without_a_register_line(session, custodian, make_key):
    ks = make_key(0)
    before = snapshot(session)
    with pytest.raises(WorkflowError, match="register line"):
        apply(session, ks, "lend", custodian)
    assert_unchanged(session, before)


# --- custody keys -------------------------------------------------------------------------------

@pytest.fixture
def custody_key(session, custodian, make_key, owners, agreement):
    ks = make_key(0)
    services.take_into_custody(session, custodian, ks)
    return ks


def _consent(**kw):
    return {"consent_by": "王一", "consent_at": utcnow() - dt.timedelta(minutes=5), "consent_channel": "phone"} | kw


def test_custody_key_lent_for_a_permitted_use_with_consent(session, custodian, supervisor, custody_key, agreement,
                                                           lend):
    loan = lend(session, custody_key, purpose="repairs", escort_id=supervisor.id, **_consent())
    assert custody_key.status == KeyStatus.lent
    assert loan.from_status == "in_custody" and loan.custody_agreement_id == agreement.id
    assert (loan.consent_by, loan.consent_channel) == ("王一", "phone")
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        services.return_key(session, custodian, custody_key, condition="intact")
    assert exc.value.field == "door_closed"
    with pytest.raises(WorkflowError, match="use 'return_to_custody'"):
        apply(session, custody_key, "return", custodian)
    with pytest.raises(WorkflowError, match="door_closed"):
        apply(session, custody_key, "return_to_custody", custodian)
    assert_unchanged(session, before)
    services.return_key(session, custodian, custody_key, door_closed=True, contents_intact=True)
    assert custody_key.status == KeyStatus.in_custody
    assert (loan.status, loan.door_closed, loan.contents_intact) == (LoanStatus.returned, True, True)


def test_custody_key_for_a_use_the_agreement_does_not_permit(session, supervisor, custody_key, agreement, lend):
    before = snapshot(session)
    with pytest.raises(Conflict) as exc:
        lend(session, custody_key, purpose="showing_to_tenant", escort_id=supervisor.id, **_consent())
    assert exc.value.field == "purpose" and agreement.number in exc.value.message
    assert_unchanged(session, before)


@pytest.mark.parametrize("missing", ["consent_by", "consent_at", "consent_channel"])
def test_custody_key_needs_the_owners_consent(session, supervisor, custody_key, lend, missing):
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        lend(session, custody_key, purpose="repairs", escort_id=supervisor.id, **_consent(**{missing: None}))
    assert exc.value.field == missing and missing in exc.value.errors
    assert_unchanged(session, before)


def test_custody_key_consent_must_be_plausible(session, supervisor, custody_key, lend):
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        lend(session, custody_key, purpose="repairs", escort_id=supervisor.id,
             **_consent(consent_at=utcnow() + dt.timedelta(days=1)))
    assert exc.value.field == "consent_at"
    with pytest.raises(ValidationError) as exc:
        lend(session, custody_key, purpose="repairs", escort_id=supervisor.id, **_consent(consent_channel="fax"))
    assert exc.value.field == "consent_channel"
    assert_unchanged(session, before)


def test_custody_key_is_lent_only_under_escort(session, custody_key, lend):
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        lend(session, custody_key, purpose="repairs", **_consent())
    assert exc.value.field == "escort_id"
    assert_unchanged(session, before)


def test_custody_key_without_a_current_agreement_is_not_lent(session, supervisor, custody_key, agreement, lend,
                                                             today):
    agreement.end_on = today - dt.timedelta(days=1)
    agreement.start_on = today - dt.timedelta(days=10)
    session.flush()
    before = snapshot(session)
    with pytest.raises(Conflict) as exc:
        lend(session, custody_key, purpose="repairs", escort_id=supervisor.id, **_consent())
    assert exc.value.field == "custody_agreement"
    assert_unchanged(session, before)


# --- the database backstops ---------------------------------------------------------------------

def test_the_database_keeps_one_open_loan_per_key(session, make_key, lend):
    from sqlalchemy.exc import IntegrityError

    from plugins.keys.models import KeyLoan

    loan = lend(session, make_key(0))
    twin = KeyLoan(estate_id=loan.estate_id, number="KL-TWIN", key_set_id=loan.key_set_id, borrower_name="x",
                   status=LoanStatus.out)
    session.add(twin)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.flush()


def test_concurrent_lending_lends_once(committed, engine, received_key):
    """Two desks lend the same key at the same moment: the row lock makes the second one a Conflict."""
    import threading

    from core import as_system

    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; row locks are a PostgreSQL matter")
    wuye = committed
    ids = received_key("CC", "C1", "cc_gm")
    barrier, results = threading.Barrier(2), []

    def desk(name):
        try:
            with wuye.session() as s, as_system(s):
                barrier.wait()
                services.lend_key(s, None, ids[0], borrower_name=name, purpose="maintenance", approved_by_id=ids[1],
                                  expected_return_at=utcnow() + dt.timedelta(hours=1))
            results.append("lent")
        except Conflict:
            results.append("conflict")

    threads = [threading.Thread(target=desk, args=(n,)) for n in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["conflict", "lent"]


def test_the_lender_cannot_approve_his_own_loan(session, custodian, make_key, lend):
    ks = make_key(0)
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        lend(session, ks, approved_by_id=custodian.id)  # the custodian lends and would approve himself
    assert exc.value.field == "approved_by_id" and "cannot approve his own loan" in exc.value.message
    assert "不能自己批准" in exc.value.errors["approved_by_id"][0].zh
    assert ks.status == KeyStatus.sealed
    assert_unchanged(session, before)


def test_an_agent_with_a_power_of_attorney_may_borrow(session, custodian, make_key, lend):
    from core import add_attachment

    ks = make_key(0)
    with pytest.raises(ValidationError) as exc:  # the letter is named but the agent's ID is missing
        lend(session, ks, power_of_attorney_id=10**6)
    assert exc.value.field == "agent_id_number"
    with pytest.raises(ValidationError) as exc:  # no such letter in this estate
        lend(session, ks, borrower_id_number="320101199001010022", power_of_attorney_id=10**6)
    assert exc.value.field == "power_of_attorney_id" and ks.status == KeyStatus.sealed
    letter = add_attachment(session, custodian, ks, "委托书.pdf", b"%PDF-1.4\n%%EOF\n", kind="other")
    loan = lend(session, ks, borrower_id_number="320101199001010022", power_of_attorney_id=letter.id)
    assert (loan.by_agent, loan.power_of_attorney_id, ks.status) == (True, letter.id, KeyStatus.lent)
    assert loan.borrower_name == "张师傅" and loan.borrower_id_number == "320101199001010022"
