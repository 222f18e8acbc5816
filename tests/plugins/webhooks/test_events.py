"""What is queued (``plugins/webhooks/events.py``): ``record.created`` through core's
``wuye_record_created``, ``record.transition`` through ``wuye_after_transition``, ``billing.payment``
through billing's ``wuye_billing_payment_recorded``; only for the endpoints that want the event and
cover the record's estate, in the caller's transaction, and never with personal data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, func, select

from core import acting_as, as_system, untracked
from core.models import Party, Unit
from plugins.billing import services as billing
from plugins.keys import services as keys
from plugins.webhooks.events import EVENTS, announced
from plugins.webhooks.models import Delivery

from .conftest import add_endpoint, deliveries


def new_unit(session, estate, room="901", actor=None):
    unit = Unit(estate_id=estate.id, building_id=estate.buildings[0].id, room_no=room)
    with acting_as(session, actor):
        session.add(unit)
        session.flush()
    return unit


def test_a_new_record_is_queued_for_each_endpoint_that_wants_it(session, gm, estate_a, estate_b):
    everywhere = add_endpoint(session, gm, "https://erp.example.com/all")
    mine = add_endpoint(session, gm, "https://a.example.com/hooks", "record.created", estate=estate_a)
    add_endpoint(session, gm, "https://b.example.com/hooks", "record.created", estate=estate_b)
    add_endpoint(session, gm, "https://a.example.com/moves", "record.transition", estate=estate_a)
    add_endpoint(session, gm, "https://a.example.com/off", "record.created", estate=estate_a, active=False)
    assert deliveries(session) == []  # the endpoints themselves are not announced

    unit = new_unit(session, estate_a, actor=gm)
    queued = deliveries(session, record_type="core_units")
    assert sorted(d.endpoint_id for d in queued) == sorted([everywhere.id, mine.id])
    d = queued[0]
    assert (d.event, d.record_id, d.estate_id, d.status, d.attempts) == ("record.created", str(unit.id), estate_a.id,
                                                                         "pending", 0)
    assert d.payload == {"id": d.uid, "event": "record.created", "occurred_at": d.payload["occurred_at"],
                         "estate_id": estate_a.id, "record": {"type": "core_units", "id": unit.id},
                         "actor_id": gm.id}
    assert dt.datetime.fromisoformat(d.payload["occurred_at"]) == d.next_attempt_at  # due at once
    assert len({q.uid for q in queued}) == 2


def test_company_records_go_to_company_wide_endpoints_only(session, gm, estate_a):
    everywhere = add_endpoint(session, gm, "https://erp.example.com/all", "record.created")
    add_endpoint(session, gm, "https://a.example.com/hooks", "record.created", estate=estate_a)
    party = Party(name="钱七", phone="13912345678", id_number="320101198001010011")
    session.add(party)
    session.flush()
    (d,) = deliveries(session, record_type="core_parties")
    assert d.endpoint_id == everywhere.id and d.estate_id is None
    text = str(d.payload)
    assert "钱七" not in text and "13912345678" not in text and "320101198001010011" not in text


def test_what_is_announced():
    assert set(EVENTS) == {"record.created", "record.transition", "billing.payment"}
    assert announced("keys_loans") and announced("core_units") and announced("core_parties")
    assert not announced("webhooks_deliveries") and not announced("core_staff_users")
    assert not announced("core_roles") and not announced("core_api_tokens")


def test_untracked_work_is_not_announced(session, gm, estate_a):
    add_endpoint(session, gm, "https://erp.example.com/all")
    with untracked(session):
        new_unit(session, estate_a)
    assert deliveries(session) == []
    new_unit(session, estate_a, room="902")
    assert len(deliveries(session)) == 1


def test_a_rolled_back_change_queues_nothing(session, gm, estate_a):
    add_endpoint(session, gm, "https://erp.example.com/all")
    savepoint = session.begin_nested()
    new_unit(session, estate_a)
    assert len(deliveries(session)) == 1  # queued in the same transaction...
    savepoint.rollback()
    assert deliveries(session) == []  # ...and gone with it: nothing will ever be sent


def test_a_failed_transaction_commits_no_delivery(committed):
    """With real commits: the change and its deliveries are one transaction."""
    from core.models import Building, Estate
    from plugins.webhooks import services

    wuye = committed
    with wuye.session() as s, as_system(s):
        services.create_endpoint(s, None, {"url": "https://erp.example.com/all", "events": "record.created",
                                           "secret": "0123456789abcdef"})
    with pytest.raises(RuntimeError), wuye.session() as s:
        s.add(Estate(code="RB", name="Rolled back"))
        s.flush()
        assert s.scalar(select(func.count(Delivery.id))) == 1
        raise RuntimeError("the caller fails after the flush")
    with wuye.session() as s:
        assert s.scalar(select(func.count(Delivery.id))) == 0
        estate = Estate(code="OK", name="Committed")
        s.add(estate)
        s.flush()
        s.add(Building(estate_id=estate.id, code="1"))
    with wuye.session() as s:
        assert sorted(s.scalars(select(Delivery.record_type))) == ["core_buildings", "core_estates"]


def test_a_transition_is_queued_with_its_states(session, gm, make_actor, estate_a):
    add_endpoint(session, gm, "https://a.example.com/moves", "record.transition", estate=estate_a)
    custodian = make_actor("key_custodian", estates=[estate_a])
    unit = session.scalar(select(Unit).where(Unit.estate_id == estate_a.id).order_by(Unit.id))
    key_set = keys.create_key_set(session, custodian, estate_id=estate_a.id, tag_no="WH-1", unit_id=unit.id)
    assert deliveries(session) == []  # this endpoint does not take record.created
    keys.receive_from_developer(session, custodian, key_set)
    (d,) = deliveries(session)
    assert (d.event, d.record_type, d.record_id) == ("record.transition", "keys_key_sets", str(key_set.id))
    assert {k: d.payload[k] for k in ("workflow", "transition", "from", "to", "actor_id", "estate_id")} == {
        "workflow": "keys.key_set", "transition": "receive_from_developer", "from": "with_developer",
        "to": "sealed", "actor_id": custodian.id, "estate_id": estate_a.id}


def test_a_payment_and_its_reversal_are_queued(session, gm, make_actor, estate_a):
    """billing publishes wuye_billing_payment_recorded; the webhooks implement it (optionalhook)."""
    finance = make_actor("finance_dept")
    add_endpoint(session, gm, "https://a.example.com/money", "billing.payment", estate=estate_a)
    unit = session.scalar(select(Unit).where(Unit.estate_id == estate_a.id).order_by(Unit.id))
    with as_system(session):
        payment = billing.record_payment(session, None, unit=unit, amount_fen=12300, method="wechat",
                                         payer="孙八 13900001111", paid_on=dt.date(2031, 5, 6))
        reversal = billing.reverse_payment(session, finance, payment, reason="重复收款")
    paid, reversed_ = deliveries(session, event="billing.payment")
    assert paid.record_id == str(payment.id) and reversed_.record_id == str(reversal.id)
    assert paid.payload["payment"] == {"unit_id": unit.id, "amount_fen": 12300, "method": "wechat",
                                       "paid_on": "2031-05-06", "to_prepaid_fen": 12300, "reverses_id": None}
    assert reversed_.payload["payment"]["amount_fen"] == -12300
    assert reversed_.payload["payment"]["reverses_id"] == payment.id
    assert reversed_.payload["actor_id"] == finance.id
    assert "孙八" not in str(paid.payload) and "13900001111" not in str(paid.payload)


def test_a_flush_reads_the_endpoints_once_and_the_next_flush_afresh(session, gm, estate_a):
    statements = []

    def count(conn, cursor, statement, *args):
        if "FROM webhooks_endpoints" in statement:
            statements.append(statement)

    conn = session.connection()
    event.listen(conn, "before_cursor_execute", count)
    try:
        session.add_all([Unit(estate_id=estate_a.id, building_id=estate_a.buildings[0].id, room_no=f"5{i:02d}")
                         for i in range(30)])
        session.flush()
        assert len(statements) == 1 and deliveries(session) == []  # 30 records, one look at the endpoints
        add_endpoint(session, gm, "https://erp.example.com/all", "record.created")
        statements.clear()
        new_unit(session, estate_a, room="599")
        assert len(statements) == 1 and len(deliveries(session)) == 1  # the new endpoint counts at once
    finally:
        event.remove(conn, "before_cursor_execute", count)
