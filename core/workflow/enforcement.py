"""Keeping state fields honest: a workflow's state field changes only inside ``apply``.

A ``before_flush`` listener on every :class:`~sqlalchemy.orm.Session` rejects, with a
``WorkflowError``:

* a persistent record of a workflow model whose state field was changed outside
  :func:`core.workflow.apply` (``record.status = "done"`` followed by a flush);
* a new record inserted in a state other than its workflow's initial state (a new record whose
  state field is empty gets the initial state).

Legacy-data imports may insert records in any *known* state inside :func:`importing`; changes
of existing records are never allowed outside ``apply``. Bulk ``UPDATE`` statements bypass the
ORM and are not seen here: never issue them against a state column.

The listener knows which models are governed from :data:`GOVERNED`, filled at startup by the
workflow finalizer (states are fixed by the defining plugin, so the map is the same for every
booted instance in the process).
"""

from __future__ import annotations

import enum
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from core.activity import UPDATE_CLAIMS
from core.errors import WorkflowError

APPLYING_KEY = "wuye_wf_applying"  # session.info: {id(record): ApplyContext} while apply() runs
IMPORTING_KEY = "wuye_wf_importing"  # session.info: depth of importing() blocks


@dataclass(frozen=True)
class Governance:
    """What the flush listener needs to know about one workflow over a model."""

    workflow: str
    state_field: str
    initial: str
    states: frozenset[str]
    deadlines: dict = field(default_factory=dict, hash=False, compare=False)  # state -> Deadline


@dataclass
class ApplyContext:
    """Set on a record while ``apply`` changes it: lets the state change through and tells the
    activity trail which transition, actor and comment the change belongs to."""

    workflow: str
    transition: str
    actor: object
    comment: str = ""
    changes: dict = field(default_factory=dict)  # {field: [old, new]} gathered by the activity trail


# model class -> {workflow name: Governance}
GOVERNED: dict[type, dict[str, Governance]] = {}


def govern(workflows) -> None:
    """Record the (merged) workflows so the flush listener can enforce them."""
    for wf in workflows:
        GOVERNED.setdefault(wf.model, {})[wf.name] = Governance(
            workflow=wf.name, state_field=wf.state_field, initial=wf.initial.name,
            states=frozenset(s.name for s in wf.states),
            deadlines={s.name: s.deadline for s in wf.states if s.deadline is not None},
        )


def governance_of(cls: type) -> list[Governance]:
    """The workflows governing ``cls`` (or a base class of it)."""
    out: list[Governance] = []
    for klass in cls.__mro__:
        found = GOVERNED.get(klass)
        if found:
            out.extend(found.values())
    return out


def plain(value):
    """A state value as a plain string (enum members give their value)."""
    return value.value if isinstance(value, enum.Enum) else value


def coerce_state(cls: type, state_field: str, name: str):
    """The value to assign for state ``name``: an enum member when the column maps an enum class."""
    column = inspect(cls).columns.get(state_field)
    enum_class = getattr(getattr(column, "type", None), "enum_class", None)
    return enum_class(name) if enum_class is not None else name


@contextmanager
def applying(session: Session, record, context: ApplyContext):
    """Allow ``record``'s state field to change in flushes inside this block (used by ``apply``)."""
    allowed = session.info.setdefault(APPLYING_KEY, {})
    key = id(record)
    previous = allowed.get(key)
    allowed[key] = context
    try:
        yield
    finally:
        if previous is None:
            allowed.pop(key, None)
        else:
            allowed[key] = previous


def apply_context(session: Session, record) -> ApplyContext | None:
    """The transition being applied to ``record`` right now, if any."""
    return (session.info.get(APPLYING_KEY) or {}).get(id(record))


def _claim_transition_changes(session: Session, record, changes: dict) -> bool:
    # Changes flushed while apply() runs belong to the transition's one activity entry.
    ctx = apply_context(session, record)
    if ctx is None:
        return False
    for key, (old, new) in changes.items():
        ctx.changes.setdefault(key, [old, new])[1] = new
    return True


if _claim_transition_changes not in UPDATE_CLAIMS:
    UPDATE_CLAIMS.append(_claim_transition_changes)


@contextmanager
def importing(session: Session):
    """Let new records be inserted in any known state (importing legacy data, demo data).

    Changing the state of an existing record still needs ``apply``. Deadlines of the states the
    records are created in start at the insert.
    """
    session.info[IMPORTING_KEY] = session.info.get(IMPORTING_KEY, 0) + 1
    try:
        yield
    finally:
        session.info[IMPORTING_KEY] -= 1


def _describe(obj) -> str:
    ident = inspect(obj).identity
    return f"{type(obj).__name__} {ident[0] if ident and len(ident) == 1 else ident or '(new)'}"


def _check_new(session: Session, obj, gov: Governance) -> None:
    value = plain(getattr(obj, gov.state_field))
    if value is None:
        setattr(obj, gov.state_field, coerce_state(type(obj), gov.state_field, gov.initial))
        return
    if value not in gov.states:
        raise WorkflowError(f"{type(obj).__name__}.{gov.state_field} = {value!r} is not a state of workflow "
                            f"'{gov.workflow}' (states: {', '.join(sorted(gov.states))})", field=gov.state_field)
    if value != gov.initial and not session.info.get(IMPORTING_KEY):
        raise WorkflowError(f"a new {type(obj).__name__} must start in state '{gov.initial}', not '{value}': "
                            f"create it in '{gov.initial}' and move it on with core.workflow.apply()",
                            field=gov.state_field)


def _check_dirty(session: Session, obj, gov: Governance) -> None:
    hist = inspect(obj).attrs[gov.state_field].history
    if not hist.has_changes():
        return
    old = plain(hist.deleted[0]) if hist.deleted else None
    new = plain(hist.added[0]) if hist.added else None
    if hist.deleted and old == new:
        return
    if apply_context(session, obj) is not None:
        return
    raise WorkflowError(f"{_describe(obj)}: '{gov.state_field}' is managed by workflow '{gov.workflow}' and "
                        f"cannot be set directly ({old!r} -> {new!r}); use "
                        "core.workflow.apply(session, record, <transition>, actor)", field=gov.state_field)


@event.listens_for(Session, "before_flush")
def _reject_bypass(session: Session, flush_context, instances) -> None:
    if not GOVERNED:
        return
    for obj in session.new:
        for gov in governance_of(type(obj)):
            _check_new(session, obj, gov)
    for obj in session.dirty:
        for gov in governance_of(type(obj)):
            _check_dirty(session, obj, gov)


@event.listens_for(Session, "after_flush")
def _start_and_stop_timers(session: Session, flush_context) -> None:
    """New records whose state carries a deadline start their timer; deleted records stop theirs."""
    if not GOVERNED:
        return
    from core.workflow import deadlines

    for obj in session.new:
        for gov in governance_of(type(obj)):
            state = plain(getattr(obj, gov.state_field))
            deadline = gov.deadlines.get(state)
            if deadline is not None:
                deadlines.open_at_insert(session, gov.workflow, obj, state, deadline)
    for obj in session.deleted:
        if governance_of(type(obj)):
            deadlines.close_at_delete(session, obj)
