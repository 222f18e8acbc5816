"""The events the webhooks send, their payloads, and the queue they wait in.

Reactions to core and billing events (``hooks.py`` delegates here) only *queue* deliveries: one row
of ``webhooks_deliveries`` per active endpoint that subscribes to the event and covers the record's
estate, inserted with a Core statement on the caller's connection, in the caller's transaction. A
change that is rolled back takes its deliveries with it, so nothing is ever sent for it; nothing is
sent during a request either: the job ``webhooks.deliver`` sends what is due (``delivery.py``).

Payloads carry identifiers, states and amounts only, never personal data (names, phones, ID-card
numbers, comments): a receiver that needs more reads the record through the API with its own token.
"""

from __future__ import annotations

import uuid

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session, object_session

from core import utcnow
from core.models.workflow import WorkflowHistory
from plugins.webhooks.models import Delivery, Endpoint

# event type -> (label, label_zh)
EVENTS: dict[str, tuple[str, str]] = {
    "record.created": ("A record was created", "新建记录"),
    "record.transition": ("A record changed state through its workflow", "状态流转"),
    "billing.payment": ("Billing recorded a payment or its reversal", "收费入账"),
}

# New records of these core tables are announced; core's other tables hold staff, roles and logs.
CORE_TABLES = frozenset({"core_estates", "core_buildings", "core_units", "core_parties", "core_unit_relations"})
READY_KEY = "webhooks_ready"


def announced(table: str) -> bool:
    """Whether ``record.created`` is sent for new rows of ``table``: every plugin's business records
    (not the webhooks' own) and core's estates, buildings, units, parties and unit relations."""
    if table.startswith("webhooks_"):
        return False
    if table.startswith("core_"):
        return table in CORE_TABLES
    return True


def identify(record) -> tuple[str, int | str, int | None]:
    """``(table, id, estate id)`` of a flushed record; the id is an int for a single integer key."""
    table = inspect(type(record)).local_table.name
    key = inspect(type(record)).primary_key_from_instance(record)  # identity is unset inside a flush
    record_id = key[0] if len(key) == 1 else "/".join(str(k) for k in key)
    if table == "core_estates":
        return table, record_id, record.id
    estate_id = getattr(record, "estate_id", None)
    return table, record_id, estate_id if isinstance(estate_id, int) else None


ENDPOINTS = (select(Endpoint.id, Endpoint.estate_id, Endpoint.events).where(Endpoint.active.is_(True))
             .order_by(Endpoint.id))
FLUSH_CACHE = "webhooks_flush_endpoints"


@event.listens_for(Session, "before_flush")
def _new_flush(session: Session, flush_context, instances) -> None:
    # The active endpoints are read once per flush (a flush may insert thousands of records), and
    # afresh in every flush: an endpoint added a moment ago counts from the next flush on.
    session.info.pop(FLUSH_CACHE, None)


def _active_endpoints(session: Session, *, in_flush: bool) -> list:
    if in_flush:
        found = session.info.get(FLUSH_CACHE)
        if found is None:
            found = session.info[FLUSH_CACHE] = session.connection().execute(ENDPOINTS).all()
        return found
    return session.connection().execute(ENDPOINTS).all()


def _ready(session: Session) -> bool:
    # Until `wuye db upgrade` has created the tables, queue nothing rather than break every write.
    conn = session.connection()
    if conn.info.get(READY_KEY):
        return True
    if inspect(conn).has_table(Delivery.__tablename__):
        conn.info[READY_KEY] = True
        return True
    return False


def enqueue(session: Session, event: str, *, record_type: str, record_id, estate_id: int | None, actor=None,
            data: dict | None = None, now=None, in_flush: bool = False) -> int:
    """Queue ``event`` about one record for every active endpoint that wants it; returns how many.

    An endpoint wants it when it subscribes to ``event`` and is company-wide or of ``estate_id``.
    Safe inside a flush (Core statements on the session's connection only); ``in_flush`` reads the
    endpoints once per flush.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}; known: {', '.join(EVENTS)}")
    if not _ready(session):
        return 0
    targets = [row.id for row in _active_endpoints(session, in_flush=in_flush)
               if (row.estate_id is None or row.estate_id == estate_id) and event in row.events.split()]
    if not targets:
        return 0
    conn = session.connection()
    now = now or utcnow()
    body = {"event": event, "occurred_at": now.isoformat(), "estate_id": estate_id,
            "record": {"type": record_type, "id": record_id}, "actor_id": getattr(actor, "id", None), **(data or {})}
    rows = []
    for endpoint_id in targets:
        uid = str(uuid.uuid4())
        rows.append({"uid": uid, "endpoint_id": endpoint_id, "event": event, "record_type": record_type,
                     "record_id": str(record_id), "estate_id": estate_id, "payload": {"id": uid, **body},
                     "status": "pending", "attempts": 0, "next_attempt_at": now, "last_error": "",
                     "created_at": now})
    conn.execute(insert(Delivery.__table__), rows)
    return len(rows)


def record_created(session: Session, record, actor) -> int:
    """``wuye_record_created``: queue ``record.created`` (called inside the flush that inserted it)."""
    table, record_id, estate_id = identify(record)
    if not announced(table):
        return 0
    return enqueue(session, "record.created", record_type=table, record_id=record_id, estate_id=estate_id,
                   actor=actor, in_flush=True)


def record_transition(record, transition, actor) -> int:
    """``wuye_after_transition``: queue ``record.transition`` with the workflow, the transition and
    the states it went from and to (read from the history row ``apply`` has just written)."""
    session = object_session(record)
    if session is None:
        return 0
    table, record_id, estate_id = identify(record)
    if table.startswith("webhooks_"):
        return 0
    last = session.connection().execute(
        select(WorkflowHistory.workflow, WorkflowHistory.from_state, WorkflowHistory.to_state)
        .where(WorkflowHistory.record_table == table, WorkflowHistory.record_id == record_id)
        .order_by(WorkflowHistory.id.desc()).limit(1)).first() if isinstance(record_id, int) else None
    data = {"workflow": last.workflow if last else None, "transition": transition.name,
            "from": last.from_state if last else None, "to": last.to_state if last else transition.target}
    return enqueue(session, "record.transition", record_type=table, record_id=record_id, estate_id=estate_id,
                   actor=actor, data=data)


def payment_recorded(session: Session, payment, actor) -> int:
    """billing's ``wuye_billing_payment_recorded``: queue ``billing.payment`` (amounts in fen; a
    reversal has ``reverses_id`` and negative amounts; no payer name)."""
    table, record_id, estate_id = identify(payment)
    data = {"payment": {"unit_id": payment.unit_id, "amount_fen": payment.amount_fen, "method": payment.method,
                        "paid_on": payment.paid_on.isoformat() if payment.paid_on else None,
                        "to_prepaid_fen": payment.to_prepaid_fen, "reverses_id": payment.reverses_id}}
    return enqueue(session, "billing.payment", record_type=table, record_id=record_id, estate_id=estate_id,
                   actor=actor, data=data)
