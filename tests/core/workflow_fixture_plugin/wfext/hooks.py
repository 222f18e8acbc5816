"""Extends wftest.ticket: adds 'reassign', a guard on 'close' and an effect on 'arrive'."""

from __future__ import annotations

from core import Permission, hookimpl
from core.workflow import Transition, WorkflowExtension

EFFECTS: list[str] = []


def no_close_on_friday_13(session, record, actor, **data):
    return "tickets titled 'keep open' cannot be closed" if record.title == "keep open" else None


def note_arrival(session, record, actor, **data):
    EFFECTS.append(f"arrived:{record.id}")


@hookimpl
def wuye_register_permissions():
    return [Permission("wfext.reassign", "Reassign tickets", "改派", ("engineering_supervisor",))]


@hookimpl
def wuye_extend_workflow(workflow):
    if workflow.name != "wftest.ticket":
        return None
    return WorkflowExtension(
        transitions=[Transition("reassign", ("dispatched",), "new", "wfext.reassign", label="Reassign")],
        guards={"close": (no_close_on_friday_13,)},
        effects={"arrive": (note_arrival,)},
    )
