"""Deadlines (SLA timers, spec 1.4 item 2 and 4.1): due times, overdue lists and escalation.

A record has at most one open deadline: the one of the state it is in. It is opened when the record
enters a state that carries a :class:`~core.workflow.Deadline` (or takes a transition that does; a
transition's deadline wins over its target state's), closed when the record leaves the state, and
escalated by the scheduled job ``core.escalate_overdue`` (every 5 minutes) once overdue: the row is
marked escalated to the deadline's ``escalate_to`` role (default :data:`DEFAULT_ESCALATE_TO`), and a
history row (transition ``escalate``) and an activity entry are written.

Periodic follow-ups (arrears every 15 days, quarterly census) are not deadlines of a state: a
plugin schedules its own job (``wuye_scheduled_jobs``) that finds what is due and acts on it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, inspect, select, update
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models.workflow import WorkflowDeadline, WorkflowHistory
from core.workflow.definitions import Deadline, Transition, Workflow

DEFAULT_ESCALATE_TO = "office_manager"  # 管理处经理 answers for every overdue item by default


def _identity(obj) -> tuple[str, int]:
    mapper = inspect(type(obj))
    pk = mapper.primary_key_from_instance(obj)
    if len(pk) != 1:
        raise TypeError(f"{type(obj).__name__}: workflow records need a single-column primary key")
    return mapper.local_table.name, pk[0]


def _estate_of(obj) -> int | None:
    value = getattr(obj, "estate_id", None)
    return value if isinstance(value, int) else None


def deadline_for(workflow: Workflow, transition: Transition) -> Deadline | None:
    """The time limit a record gets by taking ``transition``: its own, else its target state's."""
    if transition.deadline is not None:
        return transition.deadline
    return workflow.state(transition.target).deadline


def _values(workflow: str, obj, state: str, deadline: Deadline, now: dt.datetime) -> dict:
    table, record_id = _identity(obj)
    return {"workflow": workflow, "record_table": table, "record_id": record_id, "estate_id": _estate_of(obj),
            "state": state, "started_at": now, "due_at": now + deadline.delta,
            "escalate_to": deadline.escalate_to or DEFAULT_ESCALATE_TO}


def _open_filter(table: str, record_id: int):
    return (WorkflowDeadline.record_table == table, WorkflowDeadline.record_id == record_id,
            WorkflowDeadline.closed_at.is_(None))


def open_at_insert(session: Session, workflow: str, obj, state: str, deadline: Deadline) -> None:
    """Start the timer of a record inserted in ``state`` (called during the flush, so Core only)."""
    session.connection().execute(insert(WorkflowDeadline.__table__),
                                 [_values(workflow, obj, state, deadline, utcnow())])


def close_at_delete(session: Session, obj) -> None:
    """Stop the timer of a deleted record (called during the flush)."""
    table, record_id = _identity(obj)
    t = WorkflowDeadline.__table__
    session.connection().execute(
        update(t).where(t.c.record_table == table, t.c.record_id == record_id, t.c.closed_at.is_(None))
        .values(closed_at=utcnow()))


def on_transition(session: Session, workflow: Workflow, record, transition: Transition,
                  now: dt.datetime) -> WorkflowDeadline | None:
    """Close the record's open deadline and open the one ``transition`` brings, if any."""
    table, record_id = _identity(record)
    session.execute(update(WorkflowDeadline).where(*_open_filter(table, record_id))
                    .values(closed_at=now))
    deadline = deadline_for(workflow, transition)
    if deadline is None:
        return None
    row = WorkflowDeadline(**_values(workflow.name, record, transition.target, deadline, now))
    session.add(row)
    return row


def open_deadline(session: Session, record) -> WorkflowDeadline | None:
    """The record's open deadline (due time of its current state), or None."""
    table, record_id = _identity(record)
    return session.scalar(select(WorkflowDeadline).where(*_open_filter(table, record_id)))


def due_at(session: Session, record) -> dt.datetime | None:
    """When ``record`` becomes overdue in its current state, or None when its state has no limit."""
    row = open_deadline(session, record)
    return row.due_at if row else None


def overdue(session: Session, *, now: dt.datetime | None = None, estate_ids=None, workflow: str | None = None,
            include_escalated: bool = True) -> list[WorkflowDeadline]:
    """Open deadlines past due at ``now``, oldest first; ``estate_ids`` (an iterable, None = all)
    restricts them to estates, as :func:`core.scoping.visible_estate_ids` returns them."""
    now = now or utcnow()
    stmt = (select(WorkflowDeadline).where(WorkflowDeadline.closed_at.is_(None), WorkflowDeadline.due_at <= now)
            .order_by(WorkflowDeadline.due_at, WorkflowDeadline.id))
    if estate_ids is not None:
        stmt = stmt.where(WorkflowDeadline.estate_id.in_(list(estate_ids)))
    if workflow:
        stmt = stmt.where(WorkflowDeadline.workflow == workflow)
    if not include_escalated:
        stmt = stmt.where(WorkflowDeadline.escalated_at.is_(None))
    return list(session.scalars(stmt))


def escalate_overdue(session: Session, now: dt.datetime) -> dict:
    """Job ``core.escalate_overdue``: escalate every open, overdue, not yet escalated deadline.

    Each is marked escalated to its role, gets a history row (``escalate``, from and to its state)
    and an ``escalate`` entry on the record's timeline. Returns ``{"escalated": n, "items": [...]}``.
    """
    from core.activity import record_event

    items = []
    for row in overdue(session, now=now, include_escalated=False):
        row.escalated_at = now
        late = now - row.due_at
        note = (f"overdue in state '{row.state}' since {row.due_at.isoformat(timespec='minutes')} "
                f"({int(late.total_seconds() // 60)} min late); escalated to {row.escalate_to}")
        session.add(WorkflowHistory(workflow=row.workflow, record_table=row.record_table, record_id=row.record_id,
                                    estate_id=row.estate_id, transition="escalate", from_state=row.state,
                                    to_state=row.state, actor_id=None, comment=note, at=now))
        record_event(session, None, row.record_table, row.record_id, "escalate", estate_id=row.estate_id,
                     detail=row.escalate_to, note=note, at=now)
        items.append({"workflow": row.workflow, "record_table": row.record_table, "record_id": row.record_id,
                      "state": row.state, "due_at": row.due_at.isoformat(), "escalate_to": row.escalate_to})
    session.flush()
    return {"escalated": len(items), "items": items}
