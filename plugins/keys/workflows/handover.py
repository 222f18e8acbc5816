"""Workflow ``keys.handover_batch``: ``received → verified → sealed``.

The developer's keys are checked one by one, then sealed together under one seal number (001
L147); sealing takes the received keys into the register. The guard accepts the plain
``seal_no`` an API call sends, so a button or ``POST .../transitions/seal`` does what
``services.seal_handover_batch`` does.
"""

from __future__ import annotations

from core import State, Text, Transition, Workflow, apply, utcnow
from plugins.keys.models import BatchStatus, CheckResult, HandoverBatch, KeyStatus
from plugins.keys.schemas import SealBatchSchema
from plugins.keys.workflows.values import LIMITS, plain_states


def received_lines(batch: HandoverBatch) -> list:
    """Lines whose keys arrived (present or damaged): these are taken into the register on sealing."""
    return [ln for ln in batch.lines if ln.result in (CheckResult.present, CheckResult.damaged)]


def _all_checked(session, batch: HandoverBatch, actor, **data):
    pending = [ln.key_set.tag_no for ln in batch.lines if ln.result == CheckResult.pending]
    if pending:
        return Text(f"check every key one by one first; not yet checked: {', '.join(pending)}",
                    f"请先逐一核对钥匙，尚未核对：{'、'.join(pending)}")
    return None


def _sealable(session, batch: HandoverBatch, actor, seal_no=None, **data):
    if not isinstance(seal_no, str) or not seal_no.strip():
        return Text("give the seal number (封条编号) as seal_no", "请填写封条编号")
    moved = [ln.key_set.tag_no for ln in received_lines(batch)
             if KeyStatus(ln.key_set.status) != KeyStatus.with_developer]
    if moved:
        return Text(f"key set(s) {', '.join(moved)} are no longer with the developer; re-check the batch",
                    f"钥匙 {'、'.join(moved)} 已不在开发商处，请重新核对本批钥匙")
    return None


def _seal_batch(session, batch: HandoverBatch, actor, seal_no=None, **data):
    seal_no = seal_no.strip()
    for ln in received_lines(batch):
        apply(session, ln.key_set, "receive_from_developer", actor, comment=f"batch {batch.number}, seal {seal_no}",
              copies=ln.counted_copies)
    batch.seal_no, batch.sealed_at = seal_no, utcnow()
    batch.sealed_by_id = actor.id if actor is not None else None


def handover_workflow() -> Workflow:
    B = plain_states(BatchStatus)
    return Workflow(
        name="keys.handover_batch", model=HandoverBatch, label="Developer key handover", label_zh="开发商钥匙移交",
        states=[State(B.received, "Received", "已接收", initial=True, deadline=LIMITS["handover_batch.received"]),
                State(B.verified, "Verified", "已逐一核对", deadline=LIMITS["handover_batch.verified"]),
                State(B.sealed, "Sealed", "已统一封存", final=True)],
        transitions=[
            Transition("verify", (B.received,), B.verified, "keys.manage", "Verified one by one", "核对完毕",
                       guards=(_all_checked,)),
            Transition("seal", (B.verified,), B.sealed, "keys.manage", "Seal", "统一封存", guards=(_sealable,),
                       effects=(_seal_batch,), bulk=False, schema=SealBatchSchema),
        ])
