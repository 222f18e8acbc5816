"""Declarative workflow definitions. Plain data: nothing here evaluates strings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Names of transitions that undo or refuse (a rejection, a cancellation...) unless ``Transition.backward``
# says otherwise: screens show them in red and ask for confirmation before running them.
# ("return" is not one: returning a key, to custody, or a return visit moves forward.)
BACKWARD_PREFIXES = ("reject", "refuse", "decline", "deny", "cancel", "withdraw", "revoke", "void",
                     "reopen", "suspend", "close_without", "fail", "abort", "rollback", "undo", "reverse",
                     "send_back", "disqualify", "request_revision", "require_rectification")

# A guard returns None when the transition may go ahead, or a message saying why not.
Guard = Callable[..., str | None]  # guard(session, record, actor, **data) -> str | None
# An effect runs in the same transaction after the state is set (post a charge, issue a number...).
Effect = Callable[..., None]  # effect(session, record, actor, **data) -> None
# A computed due time: due(session, record, started_at) -> aware datetime, or None for no limit.
DueTime = Callable[..., "dt.datetime | None"]


@dataclass(frozen=True)
class Escalation:
    """One level of an escalation chain: ``role`` is told ``after_minutes`` past the due time.

    ``Escalation("cs_supervisor", 0)`` (客服主管 at due time), ``Escalation("office_manager", 60)``
    (管理处经理 an hour later), ``Escalation("general_manager", 240)`` (总经理 four hours late).
    Each level also tells the record's assignee (see docs/assignment.md).
    """

    role: str
    after_minutes: int = 0

    def __post_init__(self):
        if not self.role or not isinstance(self.role, str):
            raise ValueError("Escalation: name the role that is told, e.g. Escalation('cs_supervisor', 0)")
        if self.after_minutes < 0:
            raise ValueError("Escalation: after_minutes counts minutes past the due time and cannot be negative")


@dataclass(frozen=True)
class Deadline:
    """A time limit: ``Deadline(minutes=3)``, ``Deadline(hours=24)``, ``Deadline(days=7)`` ("1 week"),
    ``Deadline(working_hours=8)``, ``Deadline(working_days=2)``.

    ``minutes``/``hours``/``days`` are calendar time: they run through nights and holidays.
    ``working_hours``/``working_days`` count only the working time of the record's estate's business
    calendar (营业日历, :mod:`core.workflow.calendar`): its working week and hours, public holidays
    and make-up working days (调休上班). A deadline is one or the other, never a mix.

    ``escalate_to`` names the supervising role that overdue records are escalated to (by the job
    ``core.escalate_overdue``); if None they go to the management-office manager (``office_manager``).
    A state's deadline runs from when the record enters the state; a transition's deadline, from
    when the transition is taken (it wins over its target state's). It pauses while the record is
    in a state with ``pauses_deadline`` (waiting for the owner) and resumes with the time it had left.

    ``chain`` escalates in levels, each with its own delay past the due time (calendar minutes):
    ``chain=(Escalation("cs_supervisor", 0), Escalation("office_manager", 60),
    Escalation("general_manager", 240))``. Without a chain, ``escalate_to`` is the one level, at the
    due time. Give one or the other. Delays must not decrease along the chain.

    ``due`` computes the due time from the record instead: ``due(session, record, started_at)``
    returns an aware datetime (a naive one is taken as UTC, as stored times are), or None when the
    record has no limit in this state (no deadline is opened). E.g. a booked repair (spec 4.1 row 4,
    "arrive 5 minutes before the appointment")::

        Deadline(due=lambda session, order, started_at: order.booked_at - timedelta(minutes=5),
                 chain=CHAIN)

    It is called once, when the deadline opens (during the flush for a record inserted in the
    state: read the record's own columns and settings there, run no query). The result is calendar
    time: a pause moves it on by the paused time, like ``minutes``. ``due`` is a limit of its own
    kind: it cannot be combined with ``minutes``/``hours``/``days`` or working time.
    """

    minutes: int = 0
    hours: int = 0
    days: int = 0
    escalate_to: str | None = None
    working_hours: float = 0
    working_days: int = 0
    chain: tuple[Escalation, ...] = ()
    due: DueTime | None = None

    def __post_init__(self):
        if isinstance(self.chain, list):  # frozen and hashable: a list given is kept as a tuple
            object.__setattr__(self, "chain", tuple(self.chain))
        if self.chain:
            if not all(isinstance(level, Escalation) for level in self.chain):
                raise ValueError("Deadline: chain is a tuple of Escalation(role, after_minutes) levels")
            if self.escalate_to is not None:
                raise ValueError("Deadline: give escalate_to (one level) or chain (several), not both")
            delays = [level.after_minutes for level in self.chain]
            if delays != sorted(delays):
                raise ValueError("Deadline: the levels of a chain come in order of their delay (after_minutes)")
        if any(v < 0 for v in (self.minutes, self.hours, self.days, self.working_hours, self.working_days)):
            raise ValueError("Deadline: a time limit cannot be negative")
        if self.working and self.delta:
            raise ValueError("Deadline: give calendar time (minutes, hours, days) or working time "
                             "(working_hours, working_days), not both")
        if self.due is not None:
            if not callable(self.due):
                raise ValueError("Deadline: due is a function due(session, record, started_at) -> datetime or None")
            if self.working or self.delta:
                raise ValueError("Deadline: give due (a computed due time) or a time limit (minutes, hours, days, "
                                 "working_hours, working_days), not both")

    @property
    def working(self) -> bool:
        """Whether the limit counts working time of the business calendar."""
        return bool(self.working_hours or self.working_days)

    @property
    def computed(self) -> bool:
        """Whether the due time is computed from the record (``due``)."""
        return self.due is not None

    def levels(self, default_role: str) -> tuple[Escalation, ...]:
        """The escalation levels: the chain, else ``escalate_to`` (or ``default_role``) at due time."""
        return self.chain or (Escalation(self.escalate_to or default_role, 0),)

    @property
    def delta(self) -> dt.timedelta:
        """The calendar-time part of the limit (zero for a working-time deadline)."""
        return dt.timedelta(minutes=self.minutes, hours=self.hours, days=self.days)


@dataclass(frozen=True)
class State:
    """A state. ``deadline`` limits how long a record may stay in it.

    ``pauses_deadline``: the record waits here for someone outside the company (the owner, 等待业主),
    so the deadline it brought in stops; it resumes with the time it had left when the record goes
    back to the state the deadline belongs to (any other move closes it, as usual). Such a state
    carries no deadline of its own.
    """

    name: str
    label: str
    label_zh: str = ""
    initial: bool = False
    final: bool = False
    deadline: Deadline | None = None
    pauses_deadline: bool = False

    def __post_init__(self):
        if self.pauses_deadline and self.deadline is not None:
            raise ValueError(f"state '{self.name}' pauses the deadline, so it cannot carry one of its own")


@dataclass(frozen=True)
class Transition:
    """A named move from any of ``sources`` to ``target``, allowed to holders of ``permission``.

    ``schema`` (a marshmallow ``Schema`` class, optional) declares the data the transition reads,
    e.g. ``{"seal_no": ...}``: the API validates a request body with it (``comment`` is always
    allowed, and required when ``requires_comment``), documents it in the OpenAPI document, and
    passes the loaded values to the guards and effects as ``**data``. Without a schema the body
    may carry only ``comment``. Admin buttons send only the comment, so guards and effects must
    still cope without the data (guards say what is missing).

    ``backward`` marks a move that undoes or refuses (驳回, 撤销, 作废...): screens draw it in red and
    ask for confirmation first. ``None`` infers it from the name (``BACKWARD_PREFIXES``: reject,
    refuse, decline, cancel, withdraw, revoke, void, reopen, suspend, close_without, send_back,
    request_revision...); say ``backward=False`` for a name that only looks backward, ``True`` for one that
    does not look it.
    """

    name: str
    sources: tuple[str, ...]
    target: str
    permission: str
    label: str = ""
    label_zh: str = ""
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    deadline: Deadline | None = None  # due time of the record once this transition is taken
    requires_comment: bool = False
    bulk: bool = True  # may be offered as a bulk action in list screens
    schema: type | None = None  # marshmallow Schema of the data the transition reads (see above)
    backward: bool | None = None  # undoes or refuses (red, confirmed); None: inferred from the name

    @property
    def is_backward(self) -> bool:
        if self.backward is not None:
            return self.backward
        return self.name.startswith(BACKWARD_PREFIXES)


@dataclass
class Workflow:
    """A workflow over ``model``'s ``state_field``. ``name`` is ``<plugin>.<thing>``."""

    name: str
    model: type
    states: list[State]
    transitions: list[Transition]
    state_field: str = "status"
    label: str = ""
    label_zh: str = ""

    def state(self, name: str) -> State:
        for s in self.states:
            if s.name == name:
                return s
        raise KeyError(name)

    def transition(self, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name:
                return t
        raise KeyError(name)

    @property
    def initial(self) -> State:
        return next(s for s in self.states if s.initial)


@dataclass
class WorkflowExtension:
    """What ``wuye_extend_workflow`` may add to another plugin's workflow (never remove or rename).

    ``guards`` and ``effects`` map an existing transition name to extra callables.
    """

    transitions: list[Transition] = field(default_factory=list)
    guards: dict[str, tuple[Guard, ...]] = field(default_factory=dict)
    effects: dict[str, tuple[Effect, ...]] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
