"""Workflow ``keys.inventory_count`` (钥匙盘点): ``open → closed``; closing classifies every line."""

from __future__ import annotations

from core import State, Transition, Workflow, utcnow
from plugins.keys.models import CountResult, CountStatus, InventoryCount, InventoryLine
from plugins.keys.schemas import CloseCountSchema
from plugins.keys.workflows.values import LIMITS, plain_states, text


def classify(line: InventoryLine) -> CountResult:
    """A line's result from what the register expected and what was found."""
    if line.expected_in_cabinet and not line.found:
        return CountResult.missing
    if not line.expected_in_cabinet:
        return CountResult.unexpected if line.found else CountResult.on_loan
    if line.expected_slot and line.found_slot and line.expected_slot != line.found_slot:
        return CountResult.wrong_slot
    return CountResult.ok


def _close_count(session, count: InventoryCount, actor, notes=None, **data):
    for line in count.lines:
        line.result = classify(line)
    count.found_count = sum(1 for ln in count.lines if ln.found)
    count.discrepancy_count = sum(1 for ln in count.lines if ln.result in (
        CountResult.missing, CountResult.unexpected, CountResult.wrong_slot))
    count.closed_at, count.closed_by_id = utcnow(), actor.id if actor is not None else None
    if notes is not None:
        count.notes = text(notes, 1000)


def inventory_workflow() -> Workflow:
    S = plain_states(CountStatus)
    return Workflow(
        name="keys.inventory_count", model=InventoryCount, label="Key inventory", label_zh="钥匙盘点",
        states=[State(S.open, "Counting", "盘点中", initial=True, deadline=LIMITS["inventory_count.open"]),
                State(S.closed, "Closed", "已完成", final=True)],
        transitions=[Transition("close", (S.open,), S.closed, "keys.inventory", "Close count", "完成盘点",
                                effects=(_close_count,), bulk=False, schema=CloseCountSchema)])
