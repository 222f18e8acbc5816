"""Deadlines (SLA timers, spec 1.4 item 2 and 4.1): due times, overdue lists and escalation.

A record has at most one open deadline: the one of the state it is in. It is opened when the record
enters a state that carries a :class:`~core.workflow.Deadline` (or takes a transition that does; a
transition's deadline wins over its target state's), closed when the record leaves the state, and
escalated by the scheduled job ``core.escalate_overdue`` (every 5 minutes) once overdue, one level
of the deadline's chain at a time (``Deadline(chain=(Escalation(role, after_minutes), ...))``; without
a chain the single level is ``escalate_to``, default :data:`DEFAULT_ESCALATE_TO`, at due time): the row
is marked escalated to the level's role, and a history row (transition ``escalate``) and an activity
entry are written. The job itself lives in :mod:`core.assignment.escalation`, which also notifies the
level's role and the assignee; :func:`escalate_overdue` here does the same without notifying.

Working-time limits (``Deadline(working_days=2)``) are computed on the estate's business calendar
(:func:`core.workflow.calendar.calendar_for`). A deadline *pauses* while the record sits in a state
with ``pauses_deadline`` (waiting for the owner): the row stays open with ``paused_at`` set, is never
overdue, and when the record returns to the deadline's state its ``due_at`` moves on by the paused
time (working time for a working-time deadline), so the record gets back the time it had left.
Any other move out of the waiting state closes the paused deadline as usual.

A computed deadline (``Deadline(due=fn)``) takes its due time from ``fn(session, record, started_at)``
when it opens (an appointment minus 5 minutes, a company setting's minutes after the request was
received); None opens no deadline. It is calendar time thereafter: a pause moves it on by the
paused time like any calendar limit, and the escalation job treats it like any other row.

Periodic follow-ups (arrears every 15 days, quarterly census) are not deadlines of a state: a
plugin schedules its own job (``wuye_scheduled_jobs``) that finds what is due and acts on it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, inspect, select, update
from sqlalchemy.orm import Session

from core.clock import as_utc
from core.db import utcnow
from core.models.workflow import WorkflowDeadline, WorkflowHistory
from core.workflow.calendar import add_working_time, calendar_for
from core.workflow.definitions import Deadline, Escalation, Transition, Workflow

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


def compute_due(session: Session, deadline: Deadline, start: dt.datetime, estate_id: int | None,
                record=None) -> dt.datetime | None:
    """When a deadline started at ``start`` falls due at the estate (working time on its calendar).

    A computed deadline (``Deadline(due=...)``) asks its function about ``record``; None means the
    record has no limit in this state."""
    if deadline.due is not None:
        if record is None:
            raise TypeError("Deadline(due=...) computes the due time from the record: pass record=")
        due = deadline.due(session, record, start)
        if due is None:
            return None
        if not isinstance(due, dt.datetime):
            raise TypeError(f"Deadline(due=...) of {type(record).__name__} returned {due!r}; "
                            "it must return a datetime, or None for no limit")
        return as_utc(due)
    if not deadline.working:
        return start + deadline.delta
    return add_working_time(start, working_hours=deadline.working_hours, working_days=deadline.working_days,
                            calendar=calendar_for(session, estate_id))


def encode_chain(levels) -> str:
    """``cs_supervisor:0,office_manager:60``: the chain as a deadline row keeps it."""
    return ",".join(f"{level.role}:{int(level.after_minutes)}" for level in levels)


def chain_of(row: WorkflowDeadline) -> tuple[Escalation, ...]:
    """The escalation levels of a deadline row (rows older than chains: ``escalate_to`` at due time)."""
    levels = []
    for part in (row.chain or "").split(","):
        role, _, minutes = part.strip().partition(":")
        if role:
            levels.append(Escalation(role, int(minutes or 0)))
    return tuple(levels) or (Escalation(row.escalate_to or DEFAULT_ESCALATE_TO, 0),)


def levels_done(row: WorkflowDeadline) -> int:
    """Escalation levels done so far (a row escalated before levels existed counts one)."""
    return max(row.escalation_level or 0, 1 if row.escalated_at is not None else 0)


def _values(session: Session, workflow: str, obj, state: str, deadline: Deadline, now: dt.datetime) -> dict | None:
    """The new deadline row's columns, or None when a computed deadline gives no limit."""
    table, record_id = _identity(obj)
    estate_id = _estate_of(obj)
    due = compute_due(session, deadline, now, estate_id, record=obj)
    if due is None:
        return None
    levels = deadline.levels(DEFAULT_ESCALATE_TO)
    return {"workflow": workflow, "record_table": table, "record_id": record_id, "estate_id": estate_id,
            "state": state, "started_at": now, "due_at": due,
            "escalate_to": levels[0].role, "chain": encode_chain(levels), "escalation_level": 0,
            "working_time": deadline.working, "paused_seconds": 0}


def _holder(session: Session, table: str, record_id: int) -> tuple[int | None, int | None]:
    """``(assignee_id, team_id)`` of the record's current assignment (core.assignment), if any."""
    from core.models.assignment import Assignment

    row = session.execute(select(Assignment.assignee_id, Assignment.team_id).where(
        Assignment.record_table == table, Assignment.record_id == record_id, Assignment.ended_at.is_(None))
        .order_by(Assignment.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (None, None)


def _open_filter(table: str, record_id: int):
    return (WorkflowDeadline.record_table == table, WorkflowDeadline.record_id == record_id,
            WorkflowDeadline.closed_at.is_(None))


def open_at_insert(session: Session, workflow: str, obj, state: str, deadline: Deadline) -> None:
    """Start the timer of a record inserted in ``state`` (called during the flush, so Core only)."""
    values = _values(session, workflow, obj, state, deadline, utcnow())
    if values is not None:
        session.connection().execute(insert(WorkflowDeadline.__table__), [values])


def close_at_delete(session: Session, obj) -> None:
    """Stop the timer of a deleted record (called during the flush)."""
    table, record_id = _identity(obj)
    t = WorkflowDeadline.__table__
    session.connection().execute(
        update(t).where(t.c.record_table == table, t.c.record_id == record_id, t.c.closed_at.is_(None))
        .values(closed_at=utcnow()))



def pause(session: Session, row: WorkflowDeadline, now: dt.datetime) -> None:
    """Stop the clock of ``row`` (the record now waits for the owner)."""
    if row.paused_at is None:
        row.paused_at = now


def resume(session: Session, row: WorkflowDeadline, now: dt.datetime) -> None:
    """Restart the clock of ``row``: its due time moves on by the time it was paused."""
    if row.paused_at is None:
        return
    paused_at, due = as_utc(row.paused_at), as_utc(row.due_at)
    if row.working_time:
        calendar = calendar_for(session, row.estate_id)
        paused = calendar.working_time_between(paused_at, now)
        row.due_at = add_working_time(due, working_minutes=paused.total_seconds() / 60, calendar=calendar)
    else:
        paused = max(now - paused_at, dt.timedelta(0))
        row.due_at = due + paused
    row.paused_seconds = (row.paused_seconds or 0) + int(paused.total_seconds())
    row.paused_at = None


def on_transition(session: Session, workflow: Workflow, record, transition: Transition,
                  now: dt.datetime) -> WorkflowDeadline | None:
    """Close the record's open deadline and open the one ``transition`` brings, if any.

    Into a state that ``pauses_deadline`` the open deadline pauses instead of closing; back into
    the paused deadline's state (by a transition without a deadline of its own) it resumes.
    """
    table, record_id = _identity(record)
    current = session.scalar(select(WorkflowDeadline).where(*_open_filter(table, record_id)))
    target = workflow.state(transition.target)
    if current is not None and target.pauses_deadline:
        pause(session, current, now)
        return current
    if (current is not None and current.paused_at is not None and current.state == transition.target
            and transition.deadline is None):
        resume(session, current, now)
        return current
    session.execute(update(WorkflowDeadline).where(*_open_filter(table, record_id))
                    .values(closed_at=now))
    deadline = deadline_for(workflow, transition)
    if deadline is None:
        return None
    values = _values(session, workflow.name, record, transition.target, deadline, now)
    if values is None:  # a computed deadline with no limit for this record
        return None
    row = WorkflowDeadline(**values)
    row.assignee_id, row.team_id = _holder(session, table, record_id)  # who answers for this deadline
    session.add(row)
    return row


def open_deadline(session: Session, record) -> WorkflowDeadline | None:
    """The record's open deadline (due time of its current state), or None."""
    table, record_id = _identity(record)
    return session.scalar(select(WorkflowDeadline).where(*_open_filter(table, record_id)))


def due_at(session: Session, record) -> dt.datetime | None:
    """When ``record`` becomes overdue in its current state, or None when its state has no limit.

    While the deadline is paused this is the due time as it stood when it paused (it moves on resume)."""
    row = open_deadline(session, record)
    return row.due_at if row else None


def overdue(session: Session, *, now: dt.datetime | None = None, estate_ids=None, workflow: str | None = None,
            include_escalated: bool = True) -> list[WorkflowDeadline]:
    """Open deadlines past due at ``now``, oldest first; ``estate_ids`` (an iterable, None = all)
    restricts them to estates, as :func:`core.scoping.visible_estate_ids` returns them. Paused
    deadlines are never overdue."""
    now = now or utcnow()
    stmt = (select(WorkflowDeadline).where(WorkflowDeadline.closed_at.is_(None), WorkflowDeadline.due_at <= now,
                                           WorkflowDeadline.paused_at.is_(None))
            .order_by(WorkflowDeadline.due_at, WorkflowDeadline.id))
    if estate_ids is not None:
        stmt = stmt.where(WorkflowDeadline.estate_id.in_(list(estate_ids)))
    if workflow:
        stmt = stmt.where(WorkflowDeadline.workflow == workflow)
    if not include_escalated:
        stmt = stmt.where(WorkflowDeadline.escalated_at.is_(None))
    return list(session.scalars(stmt))


def due_escalations(session: Session, now: dt.datetime) -> list[tuple[WorkflowDeadline, int, Escalation]]:
    """``(row, level index, level)`` of every escalation level that has come due at ``now`` and is not
    done: open, running (not paused) deadlines whose ``due_at + after_minutes`` has passed, in order of
    due time; a row late enough for several levels (the job was down) yields each of them."""
    from sqlalchemy import func

    d = WorkflowDeadline
    levels = func.length(d.chain) - func.length(func.replace(d.chain, ",", "")) + 1  # commas + 1
    stmt = (select(d).where(d.closed_at.is_(None), d.paused_at.is_(None), d.due_at <= now,
                            d.escalation_level < levels)  # rows whose chain is done are not read again
            .order_by(d.due_at, d.id))
    out = []
    for row in session.scalars(stmt):
        levels, due = chain_of(row), as_utc(row.due_at)
        for index in range(levels_done(row), len(levels)):
            if due + dt.timedelta(minutes=levels[index].after_minutes) > now:
                break
            out.append((row, index, levels[index]))
    return out


def escalate_level(session: Session, row: WorkflowDeadline, index: int, level: Escalation,
                   now: dt.datetime) -> dict:
    """Mark ``row`` escalated to ``level`` (level ``index``, from 0) and write the history row and the
    timeline entry. Returns the item the job reports."""
    from core.activity import record_event

    row.escalated_at = row.escalated_at or now
    row.escalation_level = index + 1
    row.escalate_to = level.role
    due = as_utc(row.due_at)
    late = now - due
    note = (f"overdue in state '{row.state}' since {due.isoformat(timespec='minutes')} "
            f"({int(late.total_seconds() // 60)} min late); escalated to {level.role}")
    if len(chain_of(row)) > 1:
        note += f" (level {index + 1})"
    session.add(WorkflowHistory(workflow=row.workflow, record_table=row.record_table, record_id=row.record_id,
                                estate_id=row.estate_id, transition="escalate", from_state=row.state,
                                to_state=row.state, actor_id=None, comment=note, at=now))
    record_event(session, None, row.record_table, row.record_id, "escalate", estate_id=row.estate_id,
                 detail=level.role, note=note, at=now)
    return {"workflow": row.workflow, "record_table": row.record_table, "record_id": row.record_id,
            "state": row.state, "due_at": row.due_at.isoformat(), "escalate_to": level.role}


def escalate_overdue(session: Session, now: dt.datetime) -> dict:
    """Escalate every level come due (:func:`due_escalations`) without notifying anyone.

    Each level marks the row escalated to its role, writes a history row (``escalate``, from and to
    its state) and an ``escalate`` entry on the record's timeline. Returns ``{"escalated": n, "items":
    [...]}``. The scheduled job ``core.escalate_overdue`` is :func:`core.assignment.escalation.escalate_overdue`,
    which does this and tells the people of each level.
    """
    items = [escalate_level(session, row, index, level, now) for row, index, level in due_escalations(session, now)]
    session.flush()
    return {"escalated": len(items), "items": items}
