"""Queuing tasks: :func:`enqueue` records and sends (or runs in-process); :func:`retry_task` for the failed list."""

from __future__ import annotations

from core.errors import ValidationError
from core.models.queue import TaskRun, TaskStatus
from core.queue.attempts import execute, queue_enabled, record_tasks


def enqueue(wuye, name: str, /, **params) -> int:
    """Queue the task ``name`` with ``params`` (JSON-able); the TaskRun id. See :func:`enqueue_many`."""
    return enqueue_many(wuye, [(name, params)])[0]


def enqueue_many(wuye, tasks: list[tuple[str, dict]]) -> list[int]:
    """Record every task in one transaction, then send them (or, without a broker, run each now).

    The rows are committed before anything is sent, so a worker always finds its row."""
    ids = record_tasks(wuye, tasks)
    dispatch(wuye, ids)
    return ids


def dispatch(wuye, ids: list[int], *, countdown: int = 0) -> None:
    """Send committed TaskRun rows to the workers, or run them here when there is no broker."""
    if not queue_enabled(wuye):
        for task_id in ids:
            run_here(wuye, task_id)
        return
    from core.queue.celery_app import send

    for task_id in ids:
        send(getattr(wuye, "wuye", wuye), task_id, countdown=countdown)


def run_here(wuye, task_id: int) -> str:
    """In-process mode: attempt the task until it is done or failed (retries at once, no wait)."""
    while True:
        outcome = execute(wuye, task_id)
        if outcome != "retry":
            return outcome


def retry_task(wuye, task_id: int) -> None:
    """Queue a failed (or lost) task again with its attempts reset: the failed list's "retry"."""
    with wuye.session() as s:
        row = s.get(TaskRun, task_id, with_for_update=True)
        if row is None:
            raise ValidationError(f"no task #{task_id}; see `wuye jobs tasks --failed`", field="task")
        if row.status not in (TaskStatus.failed, TaskStatus.lost):
            raise ValidationError(f"only failed or lost tasks can be retried; task #{task_id} is {row.status.value}",
                                  field="status")
        row.status, row.attempts, row.error = TaskStatus.queued, 0, ""
    dispatch(wuye, [task_id])


