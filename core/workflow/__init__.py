"""The workflow engine (DESIGN 7): plugins declare workflows; the engine applies transitions.

Public API for plugins::

    from core.workflow import Workflow, State, Transition, Deadline, WorkflowExtension
    from core.workflow import apply, allowed_transitions, get_workflow, initial_state

* :func:`apply` (``engine``) checks and applies one transition in the caller's transaction;
* :func:`allowed_transitions` lists what an actor may do to a record now (buttons);
* a state field changed any other way is rejected at flush (``enforcement``);
* deadlines are opened, closed and escalated by ``deadlines`` (job ``core.escalate_overdue``);
* ``wuye_extend_workflow`` contributions are merged at startup (``extension``), then every
  workflow and the company's ``[workflows.<name>]`` overrides are validated (``validation``).

:func:`finalize` is the workflow stage of startup, run through the ``wuye_startup`` hook.
"""

from core.workflow.deadlines import due_at, escalate_overdue, overdue
from core.workflow.definitions import Deadline, Escalation, State, Transition, Workflow, WorkflowExtension
from core.workflow.enforcement import apply_context, govern, importing
from core.workflow.engine import (
    allowed_transitions,
    apply,
    get_workflow,
    history,
    initial_state,
    state_of,
    workflows_for,
)
from core.workflow.extension import merge_extensions
from core.workflow.validation import validate_all

__all__ = [
    "Deadline",
    "Escalation",
    "State",
    "Transition",
    "Workflow",
    "WorkflowExtension",
    "allowed_transitions",
    "apply",
    "due_at",
    "escalate_overdue",
    "get_workflow",
    "history",
    "importing",
    "initial_state",
    "overdue",
    "state_of",
    "transition_context",
    "workflows_for",
]

# The transition being applied to a record right now (its comment and data), for effects and hooks.
transition_context = apply_context


def finalize(wuye, problems: list[str]) -> None:
    """Startup: merge extensions, validate workflows and overrides, arm the flush listener.

    Called by core's ``wuye_startup`` implementation (``core.builtin_hooks``)."""
    merge_extensions(wuye, problems)
    validate_all(wuye, problems)
    if not problems:  # startup fails otherwise; never arm the listener with a broken workflow
        govern(wuye.registry.workflows.values())
