"""Lost keys (挂失) and lock changes (换锁), spec 2.12.

A key set reported lost closes an open loan as lost and opens a lock-change task (the workflow
effect does both, whatever route reports the loss). Completing the task records the new keys cut
and, by default, seals them in the office; cancelling it means the key was found in time.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Conflict, Text, ValidationError, apply, authorize
from core.models import StaffUser
from plugins.keys.models import KeySet, KeyStatus, LockChangeTask, TaskStatus
from plugins.keys.records import get, is_count, stripped
from plugins.keys.register import require_status


def report_lost(session: Session, actor: StaffUser | None, key_set: KeySet | int, *,
                description: str) -> LockChangeTask:
    """Report a key set lost (挂失): closes an open loan as lost and opens a lock-change task."""
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.report_lost", key_set)
    require_status(key_set, (KeyStatus.sealed, KeyStatus.issued_to_owner, KeyStatus.in_custody,
                             KeyStatus.lent), "reported lost")
    description = stripped(description)
    if not description:
        raise ValidationError(Text("describe how and when the key was lost", "请说明钥匙遗失的经过和时间"), field="description")
    apply(session, key_set, "report_lost", actor, comment=description, description=description)
    session.flush()
    return session.scalar(select(LockChangeTask).where(LockChangeTask.key_set_id == key_set.id,
                                                       LockChangeTask.status == TaskStatus.open)
                          .order_by(LockChangeTask.id.desc()))


def complete_lock_change(session: Session, actor: StaffUser | None, task: LockChangeTask | int, *,
                         new_copies: int, note: str = "", reseal: bool = True) -> LockChangeTask:
    """Record the lock changed and new keys cut; with ``reseal`` the lost key set is sealed again."""
    task = get(session, LockChangeTask, task, lock=True, what="lock-change task")
    authorize(session, actor, "keys.manage", task)
    if task.status != TaskStatus.open:
        raise Conflict(Text(f"lock-change task {task.number} is already {TaskStatus(task.status).value}", f"换锁任务 {task.number} 已{TaskStatus.__labels__[TaskStatus(task.status).value][1]}"), field="status")
    if not is_count(new_copies):
        raise ValidationError(Text("give the number of new keys cut (at least 1)", "请填写新配钥匙的把数（至少 1 把）"), field="new_copies")
    apply(session, task, "complete", actor, comment=note or None, new_copies=new_copies, note=note,
          reseal=reseal)
    session.flush()
    return task


def cancel_lock_change(session: Session, actor: StaffUser | None, task: LockChangeTask | int, *,
                       note: str) -> LockChangeTask:
    """Cancel an open lock-change task (the key was found before the lock was changed)."""
    task = get(session, LockChangeTask, task, lock=True, what="lock-change task")
    authorize(session, actor, "keys.manage", task)
    if task.status != TaskStatus.open:
        raise Conflict(Text(f"lock-change task {task.number} is already {TaskStatus(task.status).value}", f"换锁任务 {task.number} 已{TaskStatus.__labels__[TaskStatus(task.status).value][1]}"), field="status")
    if not stripped(note):
        raise ValidationError(Text("say why no lock change is needed", "请说明无需换锁的原因"), field="note")
    apply(session, task, "cancel", actor, comment=note, note=note)
    session.flush()
    return task
