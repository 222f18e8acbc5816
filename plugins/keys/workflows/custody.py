"""Workflow ``keys.custody_agreement`` (钥匙托管书): ``active → ended``.

Ending an agreement gives a key still in custody back to the owner (``release_custody`` on the
key set), which writes the issue line in the lending register.
"""

from __future__ import annotations

from core import State, Text, Transition, Workflow, apply, utcnow
from plugins.keys.models import CustodyAgreement, CustodyStatus, KeyStatus
from plugins.keys.schemas import NoteSchema
from plugins.keys.workflows.values import INTERNAL, plain_states, text


def _key_not_out(session, agreement: CustodyAgreement, actor, **data):
    ks = agreement.key_set
    if ks is not None and KeyStatus(ks.status) == KeyStatus.lent:
        return Text(f"key set {ks.tag_no} is out on loan; get it back before ending the agreement",
                    f"钥匙 {ks.tag_no} 已借出，请先收回再终止托管")
    return None


def _end_agreement(session, agreement: CustodyAgreement, actor, note="", from_key_release=None, **data):
    agreement.ended_at = utcnow()
    agreement.ended_by_id = actor.id if actor is not None else None
    agreement.end_note = text(note, 400)
    ks = agreement.key_set
    # A release of the key ends its agreement itself (INTERNAL): do not release the key again.
    if from_key_release is not INTERNAL and ks is not None and KeyStatus(ks.status) == KeyStatus.in_custody:
        apply(session, ks, "release_custody", actor, comment=f"agreement {agreement.number} ended",
              note=note, from_agreement=agreement)


def custody_workflow() -> Workflow:
    C = plain_states(CustodyStatus)
    return Workflow(
        name="keys.custody_agreement", model=CustodyAgreement, label="Key custody agreement", label_zh="钥匙托管书",
        states=[State(C.active, "Active", "有效", initial=True), State(C.ended, "Ended", "已解除", final=True)],
        transitions=[Transition("end", (C.active,), C.ended, "keys.custody", "End agreement", "解除托管",
                                guards=(_key_not_out,), effects=(_end_agreement,), bulk=False, schema=NoteSchema)])
