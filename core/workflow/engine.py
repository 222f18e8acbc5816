"""Applying transitions (DESIGN 7).

``apply(session, record, "approve", actor, comment=..., **data)`` runs, in this order, and stops at
the first failure with nothing changed:

1. the transition exists in the record's workflow (``WorkflowError`` listing the allowed ones);
2. the record's current state is one of its sources (``WorkflowError``);
3. the actor holds the transition's permission (``PermissionDenied``) and works for the record's
   estate (``PermissionDenied``);
4. the company has not disabled it (``[workflows.<name>] disabled_transitions``; ``WorkflowError``);
5. a comment is given when ``requires_comment`` (``WorkflowError``);
6. a second approver is given when the company requires one (``approver=<StaffUser>``);
7. every guard returns None (a returned message becomes the ``WorkflowError``);
8. ``wuye_before_transition`` (a raise vetoes);

then, inside a savepoint of the caller's transaction: sets the state field, runs the effects,
writes a ``core_workflow_history`` row, closes/opens the record's deadline, and fires
``wuye_after_transition``. An error anywhere rolls the savepoint back: the record, its history and
anything the effects or hooks wrote are left as they were. The caller commits.

Scheduled jobs run as the system (``core.as_system``: ``session.info["wuye_system"]``) and may apply transitions with
``actor=None`` (the system): no permission or estate check, history ``actor_id`` null.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.activity import record_transition
from core.context import is_system, wuye_of
from core.db import utcnow
from core.errors import WorkflowError
from core.models.workflow import WorkflowHistory
from core.workflow import deadlines
from core.workflow.definitions import Transition, Workflow
from core.workflow.enforcement import ApplyContext, applying, coerce_state, plain
from core.workflow.overrides import check_second_approver, overrides_of


def _wuye(wuye_or_session):
    return wuye_of(wuye_or_session) if isinstance(wuye_or_session, Session) else wuye_or_session


def get_workflow(wuye_or_session, name: str) -> Workflow:
    """The effective workflow ``name`` (with every plugin's extensions merged in)."""
    workflows = _wuye(wuye_or_session).registry.workflows
    try:
        return workflows[name]
    except KeyError:
        known = ", ".join(sorted(workflows)) or "none"
        raise WorkflowError(f"no workflow named '{name}' is registered (known: {known}); "
                            "is its plugin enabled?") from None


def workflows_for(wuye_or_session, model: type) -> list[Workflow]:
    """The workflows over ``model`` (usually one), by name."""
    flows = _wuye(wuye_or_session).registry.workflows.values()
    return sorted((wf for wf in flows if isinstance(model, type) and issubclass(model, wf.model)),
                  key=lambda wf: wf.name)


def initial_state(workflow: Workflow) -> str:
    """The name of the state new records start in."""
    return workflow.initial.name


def state_of(workflow: Workflow, record) -> str:
    """The record's current state name (the initial state for a record not yet flushed)."""
    value = plain(getattr(record, workflow.state_field))
    return workflow.initial.name if value is None else value


def _workflow_for(session: Session, record, transition_name: str) -> Workflow:
    flows = workflows_for(session, type(record))
    if not flows:
        raise WorkflowError(f"{type(record).__name__} has no workflow; register one with wuye_register_workflows")
    for wf in flows:
        if any(t.name == transition_name for t in wf.transitions):
            return wf
    return flows[0]


def _record_key(record) -> tuple[str, int]:
    return deadlines._identity(record)


_is_system = is_system


def _check_actor(session: Session, record, transition: Transition, actor) -> None:
    # The one check every service makes: the system passes, else the permission and the record's
    # estate (and the plugins' record filters).
    from core.scoping import authorize

    authorize(session, actor, transition.permission, record)


def _ensure_transaction(session: Session) -> None:
    # pysqlite (legacy transaction mode) opens a transaction only before INSERT/UPDATE/DELETE. A
    # SAVEPOINT issued first would itself open the transaction, and releasing it would COMMIT the
    # caller's work early; so make sure a real transaction is open before taking a savepoint.
    conn = session.connection()
    if conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN")


def apply(session: Session, record, transition_name: str, actor, comment: str | None = None, **data):
    """Apply the transition ``transition_name`` to ``record`` as ``actor``; returns the record.

    ``data`` is passed to guards and effects (``guard(session, record, actor, **data)``); it carries
    ``approver=<StaffUser>`` for transitions needing a second approver. See the module docstring
    for the checks and their order. Raises ``WorkflowError`` (409) or ``PermissionDenied`` (403).
    """
    wf = _workflow_for(session, record, transition_name)
    wuye = wuye_of(session)
    current = state_of(wf, record)
    try:
        transition = wf.transition(transition_name)
    except KeyError:
        allowed = [t.name for t in wf.transitions if current in t.sources]
        raise WorkflowError(f"'{transition_name}' is not a transition of workflow '{wf.name}'; from "
                            f"'{current}' the transitions are: {', '.join(allowed) or 'none'}",
                            field="transition") from None
    if current not in transition.sources:
        raise WorkflowError(f"{type(record).__name__} is '{current}'; '{transition.name}' applies only from "
                            f"{', '.join(repr(s) for s in transition.sources)}", field=wf.state_field)
    _check_actor(session, record, transition, actor)
    disabled, second = overrides_of(wuye, wf)
    if transition.name in disabled:
        raise WorkflowError(f"'{transition.name}' of workflow '{wf.name}' is disabled by this company's "
                            f"configuration ([workflows.\"{wf.name}\"] disabled_transitions)", field="transition")
    comment = (comment or "").strip()
    if transition.requires_comment and not comment:
        raise WorkflowError(f"'{transition.name}' needs a comment saying why", field="comment")
    session.flush()  # a new record gets its id (and initial state) before anything refers to it
    table, record_id = _record_key(record)
    if transition.name in second:
        check_second_approver(session, wf, transition, record, actor, data.get("approver"), table, record_id)
    for guard in transition.guards:
        message = guard(session, record, actor, **data)
        if message:
            raise WorkflowError(message if isinstance(message, str) else str(message), field=wf.state_field)
    approver = data.get("approver") if transition.name in second else None
    now = utcnow()
    _ensure_transaction(session)
    with session.begin_nested():
        wuye.hook.wuye_before_transition(record=record, transition=transition, actor=actor)
        context = ApplyContext(workflow=wf.name, transition=transition.name, actor=actor, comment=comment)
        with applying(session, record, context):
            setattr(record, wf.state_field, coerce_state(type(record), wf.state_field, transition.target))
            for effect in transition.effects:
                effect(session, record, actor, **data)
            session.flush()
        record_transition(session, record, context)
        session.add(WorkflowHistory(
            workflow=wf.name, record_table=table, record_id=record_id, estate_id=deadlines._estate_of(record),
            transition=transition.name, from_state=current, to_state=transition.target,
            actor_id=actor.id if actor is not None else None,
            approver_id=approver.id if approver is not None else None, comment=comment, at=now))
        deadlines.on_transition(session, wf, record, transition, now)
        session.flush()
        wuye.hook.wuye_after_transition(record=record, transition=transition, actor=actor)
        session.flush()
    return record


def allowed_transitions(session: Session, record, actor, *, check_guards: bool = False) -> list[Transition]:
    """The transitions ``actor`` may apply to ``record`` now (for buttons and bulk actions).

    Filters by current state, permission, estate and the company's disabled transitions. Guards
    are not run unless ``check_guards`` (they may need data only the form provides); a guard that
    needs data should return None when it lacks it.
    """
    from core.scoping import in_scope
    from core.security.grants import has_permission

    wuye = wuye_of(session)
    system = _is_system(session, actor)
    if not system and (actor is None or not in_scope(session, actor, record)):
        return []
    out: list[Transition] = []
    for wf in workflows_for(wuye, type(record)):
        current = state_of(wf, record)
        disabled, _second = overrides_of(wuye, wf)
        for t in wf.transitions:
            if current not in t.sources or t.name in disabled:
                continue
            if not system and not has_permission(session, actor, t.permission):
                continue
            if check_guards and any(g(session, record, actor) for g in t.guards):
                continue
            out.append(t)
    return out


def history(session: Session, record) -> list[WorkflowHistory]:
    """The record's transitions and escalations, oldest first."""
    table, record_id = _record_key(record)
    return list(session.scalars(select(WorkflowHistory)
                                .where(WorkflowHistory.record_table == table, WorkflowHistory.record_id == record_id)
                                .order_by(WorkflowHistory.at, WorkflowHistory.id)))
