"""Workflow ``keys.lock_change`` (换锁): ``open → done | cancelled``.

Done: the lock was changed and new keys cut, which are sealed in the office (the lost key set
goes back to ``sealed`` with the new number of copies). Cancelled: the key was found in time.
"""

from __future__ import annotations

from core import State, Text, Transition, Workflow, apply, utcnow
from plugins.keys.models import KeyStatus, LockChangeTask, TaskStatus
from plugins.keys.records import is_count
from plugins.keys.schemas import CancelLockChangeSchema, CompleteLockChangeSchema
from plugins.keys.workflows.values import LIMITS, plain_states, text


def _new_copies(session, task: LockChangeTask, actor, new_copies=None, **data):
    if not is_count(new_copies):
        return Text("give the number of new keys cut as new_copies (at least 1)", "请填写新配钥匙的把数（至少 1 把）")
    return None


def _complete(session, task: LockChangeTask, actor, new_copies=None, note="", reseal=True, **data):
    task.new_copies, task.done_note = new_copies, text(note, 1000)
    task.done_at, task.done_by_id = utcnow(), actor.id if actor is not None else None
    if reseal and KeyStatus(task.key_set.status) == KeyStatus.lost:
        apply(session, task.key_set, "seal", actor, comment=f"lock changed ({task.number})", copies=new_copies)


def _cancel(session, task: LockChangeTask, actor, note="", **data):
    task.done_note = text(note, 1000)
    task.done_at, task.done_by_id = utcnow(), actor.id if actor is not None else None


def lock_change_workflow() -> Workflow:
    T = plain_states(TaskStatus)
    return Workflow(
        name="keys.lock_change", model=LockChangeTask, label="Lock change", label_zh="换锁",
        states=[State(T.open, "Open", "待换锁", initial=True, deadline=LIMITS["lock_change.open"]),
                State(T.done, "Done", "已换锁", final=True),
                State(T.cancelled, "Cancelled", "已取消", final=True)],
        transitions=[
            Transition("complete", (T.open,), T.done, "keys.manage", "Lock changed", "已换锁",
                       guards=(_new_copies,), effects=(_complete,), bulk=False, schema=CompleteLockChangeSchema),
            Transition("cancel", (T.open,), T.cancelled, "keys.manage", "Cancel", "取消", effects=(_cancel,),
                       requires_comment=True, bulk=False, schema=CancelLockChangeSchema),
        ])
