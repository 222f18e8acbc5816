"""Declarative workflow definitions. Plain data: nothing here evaluates strings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# A guard returns None when the transition may go ahead, or a message saying why not.
Guard = Callable[..., str | None]  # guard(session, record, actor, **data) -> str | None
# An effect runs in the same transaction after the state is set (post a charge, issue a number...).
Effect = Callable[..., None]  # effect(session, record, actor, **data) -> None


@dataclass(frozen=True)
class Deadline:
    """A time limit: ``Deadline(minutes=3)``, ``Deadline(hours=24)``, ``Deadline(days=7)``.

    ``escalate_to`` names the supervising role that overdue records are escalated to (by the job
    ``core.escalate_overdue``); if None they go to the management-office manager (``office_manager``).
    A state's deadline runs from when the record enters the state; a transition's deadline, from
    when the transition is taken (it wins over its target state's).
    """

    minutes: int = 0
    hours: int = 0
    days: int = 0
    escalate_to: str | None = None

    @property
    def delta(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.minutes, hours=self.hours, days=self.days)


@dataclass(frozen=True)
class State:
    """A state. ``deadline`` limits how long a record may stay in it."""

    name: str
    label: str
    label_zh: str = ""
    initial: bool = False
    final: bool = False
    deadline: Deadline | None = None


@dataclass(frozen=True)
class Transition:
    """A named move from any of ``sources`` to ``target``, allowed to holders of ``permission``.

    ``schema`` (a marshmallow ``Schema`` class, optional) declares the data the transition reads,
    e.g. ``{"seal_no": ...}``: the API validates a request body with it (``comment`` is always
    allowed, and required when ``requires_comment``), documents it in the OpenAPI document, and
    passes the loaded values to the guards and effects as ``**data``. Without a schema the body
    may carry only ``comment``. Admin buttons send only the comment, so guards and effects must
    still cope without the data (guards say what is missing).
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
