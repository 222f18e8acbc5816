"""Workflows of the keys plugin's records other than the key set (spec 2.12).

* ``keys.handover_batch``: ``received → verified → sealed`` (001 L147: checked one by one, then
  sealed together under one seal number; sealing takes the received keys into the register);
* ``keys.custody_agreement``: ``active → ended`` (ending gives a custody key back to the owner);
* ``keys.lock_change``: ``open → done | cancelled`` (done: new keys are sealed in the office);
* ``keys.inventory_count``: ``open → closed`` (closing classifies every line).

Guards accept the plain values an API call sends (``seal_no``, ``new_copies`` ...), so a button
in the admin or ``POST .../transitions/<name>`` does exactly what the service functions do.
"""

from __future__ import annotations

from core.db import utcnow
from core.workflow import State, Transition, Workflow, apply
from plugins.keys import common
from plugins.keys.models import (
    BatchStatus,
    CheckResult,
    CountResult,
    CountStatus,
    CustodyAgreement,
    CustodyStatus,
    HandoverBatch,
    InventoryCount,
    InventoryLine,
    KeyStatus,
    LockChangeTask,
    TaskStatus,
)

# --- handover batch -----------------------------------------------------------------------------


def _all_checked(session, batch: HandoverBatch, actor, **data):
    pending = [ln.key_set.tag_no for ln in batch.lines if ln.result == CheckResult.pending]
    if pending:
        return f"check every key one by one first; not yet checked: {', '.join(pending)}"
    return None


def _sealable(session, batch: HandoverBatch, actor, seal_no=None, **data):
    if not isinstance(seal_no, str) or not seal_no.strip():
        return "give the seal number (封条编号) as seal_no"
    moved = [ln.key_set.tag_no for ln in received_lines(batch)
             if KeyStatus(ln.key_set.status) != KeyStatus.with_developer]
    if moved:
        return f"key set(s) {', '.join(moved)} are no longer with the developer; re-check the batch"
    return None


def received_lines(batch: HandoverBatch) -> list:
    """Lines whose keys arrived (present or damaged): these are taken into the register on sealing."""
    return [ln for ln in batch.lines if ln.result in (CheckResult.present, CheckResult.damaged)]


def _seal_batch(session, batch: HandoverBatch, actor, seal_no=None, **data):
    seal_no = seal_no.strip()
    for ln in received_lines(batch):
        apply(session, ln.key_set, "receive_from_developer", actor, comment=f"batch {batch.number}, seal {seal_no}",
              copies=ln.counted_copies)
    batch.seal_no, batch.sealed_at = seal_no, utcnow()
    batch.sealed_by_id = actor.id if actor is not None else None


def handover_workflow() -> Workflow:
    B = common.plain_states(BatchStatus)
    return Workflow(
        name="keys.handover_batch", model=HandoverBatch, label="Developer key handover", label_zh="开发商钥匙移交",
        states=[State(B.received, "Received", "已接收", initial=True), State(B.verified, "Verified", "已逐一核对"),
                State(B.sealed, "Sealed", "已统一封存", final=True)],
        transitions=[
            Transition("verify", (B.received,), B.verified, "keys.manage", "Verified one by one", "核对完毕",
                       guards=(_all_checked,)),
            Transition("seal", (B.verified,), B.sealed, "keys.manage", "Seal", "统一封存", guards=(_sealable,),
                       effects=(_seal_batch,), bulk=False),
        ])


# --- custody agreement --------------------------------------------------------------------------

def _key_not_out(session, agreement: CustodyAgreement, actor, **data):
    ks = agreement.key_set
    if ks is not None and KeyStatus(ks.status) == KeyStatus.lent:
        return f"key set {ks.tag_no} is out on loan; get it back before ending the agreement"
    return None


def _end_agreement(session, agreement: CustodyAgreement, actor, note="", from_key_release=None, **data):
    agreement.ended_at = utcnow()
    agreement.ended_by_id = actor.id if actor is not None else None
    agreement.end_note = common.text(note, 400)
    ks = agreement.key_set
    if from_key_release is not common.INTERNAL and ks is not None and KeyStatus(ks.status) == KeyStatus.in_custody:
        apply(session, ks, "release_custody", actor, comment=f"agreement {agreement.number} ended",
              note=note, from_agreement=agreement)


def custody_workflow() -> Workflow:
    C = common.plain_states(CustodyStatus)
    return Workflow(
        name="keys.custody_agreement", model=CustodyAgreement, label="Key custody agreement", label_zh="钥匙托管书",
        states=[State(C.active, "Active", "有效", initial=True), State(C.ended, "Ended", "已解除", final=True)],
        transitions=[Transition("end", (C.active,), C.ended, "keys.custody", "End agreement", "解除托管",
                                guards=(_key_not_out,), effects=(_end_agreement,), bulk=False)])


# --- lock change --------------------------------------------------------------------------------

def _new_copies(session, task: LockChangeTask, actor, new_copies=None, **data):
    if not common.is_count(new_copies):
        return "give the number of new keys cut as new_copies (at least 1)"
    return None


def _complete(session, task: LockChangeTask, actor, new_copies=None, note="", reseal=True, **data):
    task.new_copies, task.done_note = new_copies, common.text(note, 1000)
    task.done_at, task.done_by_id = utcnow(), actor.id if actor is not None else None
    if reseal and KeyStatus(task.key_set.status) == KeyStatus.lost:
        apply(session, task.key_set, "seal", actor, comment=f"lock changed ({task.number})", copies=new_copies)


def _cancel(session, task: LockChangeTask, actor, note="", **data):
    task.done_note = common.text(note, 1000)
    task.done_at, task.done_by_id = utcnow(), actor.id if actor is not None else None


def lock_change_workflow() -> Workflow:
    T = common.plain_states(TaskStatus)
    return Workflow(
        name="keys.lock_change", model=LockChangeTask, label="Lock change", label_zh="换锁",
        states=[State(T.open, "Open", "待换锁", initial=True), State(T.done, "Done", "已换锁", final=True),
                State(T.cancelled, "Cancelled", "已取消", final=True)],
        transitions=[
            Transition("complete", (T.open,), T.done, "keys.manage", "Lock changed", "已换锁",
                       guards=(_new_copies,), effects=(_complete,), bulk=False),
            Transition("cancel", (T.open,), T.cancelled, "keys.manage", "Cancel", "取消", effects=(_cancel,),
                       requires_comment=True, bulk=False),
        ])


# --- inventory count ----------------------------------------------------------------------------

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
        count.notes = common.text(notes, 1000)


def inventory_workflow() -> Workflow:
    S = common.plain_states(CountStatus)
    return Workflow(
        name="keys.inventory_count", model=InventoryCount, label="Key inventory", label_zh="钥匙盘点",
        states=[State(S.open, "Counting", "盘点中", initial=True), State(S.closed, "Closed", "已完成", final=True)],
        transitions=[Transition("close", (S.open,), S.closed, "keys.inventory", "Close count", "完成盘点",
                                effects=(_close_count,), bulk=False)])


def all_workflows() -> list[Workflow]:
    """Every workflow of the plugin (the key set's first)."""
    from plugins.keys.workflows import key_set_workflow

    return [key_set_workflow(), handover_workflow(), custody_workflow(), lock_change_workflow(),
            inventory_workflow()]
