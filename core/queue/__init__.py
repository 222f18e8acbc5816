"""The task queue (任务队列): work sent to Celery workers on Redis, or run in-process without a broker.

A task is a function ``func(session, **params)`` declared with :func:`task`; it does its work in the
session's transaction and returns a short JSON-able summary. :func:`enqueue` records a
:class:`~core.models.queue.TaskRun` and sends it:

* with ``[jobs] broker_url`` set, to the Celery queue: ``wuye worker`` processes run it;
* without one (the default, and the demo), in the calling process, at once.

Either way each attempt runs in a transaction of its own and is recorded apart from the work: a
failed attempt leaves nothing half-written, and after ``max_attempts`` (default ``[jobs]
max_attempts`` = 3) the task is in the failed list with its error. Tasks must be idempotent: a
worker killed mid-task is redone. Scheduled jobs (``wuye_scheduled_jobs``) are sent by ``wuye
scheduler`` (Celery beat) as the task ``core.run_job``. See docs/jobs.md.

This module imports no Celery: the in-process mode needs none.
"""

from __future__ import annotations

from core.queue.attempts import execute, mark_tasks_lost, queue_enabled
from core.queue.runner import enqueue, enqueue_many, retry_task
from core.queue.tasks import TaskSpec, get_task, task

__all__ = ["TaskSpec", "enqueue", "enqueue_many", "execute", "get_task", "mark_tasks_lost", "queue_enabled",
           "retry_task", "task"]

from core.queue import builtin  # noqa: E402,F401  (declares core's tasks)
