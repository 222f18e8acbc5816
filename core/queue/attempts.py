"""Task attempts: the ``[jobs]`` settings, recording queued tasks and running one attempt.

An attempt is three transactions: claim the row (attempts + 1, ``running``), do the work (the
task's own transaction, rolled back whole on any error), record the outcome. A message delivered
again for a task already ``done``, ``failed`` or ``lost`` does nothing, so a redelivery after a
worker crash is harmless. (:mod:`.runner` queues and sends; :mod:`.celery_app` is the worker side.)
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback
from contextlib import contextmanager

from core.clock import utcnow
from core.context import SYSTEM_KEY
from core.errors import NotFound, PermissionDenied, ValidationError, WuyeError
from core.models.queue import TaskRun, TaskStatus
from core.queue.tasks import get_task

log = logging.getLogger("wuye.queue")
FINISHED = (TaskStatus.done, TaskStatus.failed, TaskStatus.lost)


class SessionSource:
    """An instance's config with sessions from another factory: the web app's, so a task queued or run
    from a request uses the app's sessions (which a test binds to its own transaction)."""

    def __init__(self, wuye, make):
        self.wuye, self.config, self.registry, self._make = wuye, wuye.config, wuye.registry, make

    @contextmanager
    def session(self):
        s = self._make()
        try:
            with s.begin():
                yield s
        finally:
            s.close()


def jobs_settings(wuye) -> dict:
    """``[jobs]`` with its defaults (a Config built in code may leave it empty)."""
    from core.config import JobsSection

    return {**JobsSection().load({}), **(wuye.config.jobs or {})}


def queue_enabled(wuye) -> bool:
    """True when ``[jobs] broker_url`` is set: tasks go to the workers; False: they run in-process."""
    return bool(jobs_settings(wuye)["broker_url"])


def retry_delay(wuye, attempts: int) -> int:
    """Seconds before the next attempt after ``attempts`` failures: the configured delay, doubled each time."""
    return min(jobs_settings(wuye)["retry_delay_seconds"] * 2 ** max(attempts - 1, 0), 3600)


def record_tasks(wuye, tasks: list[tuple[str, dict]]) -> list[int]:
    """Record TaskRun rows for ``[(name, params)]`` in one committed transaction; their ids (nothing sent)."""
    specs = [(get_task(name), params) for name, params in tasks]
    default_attempts = jobs_settings(wuye)["max_attempts"]
    with wuye.session() as s:
        rows = []
        for spec, params in specs:
            try:
                clean = json.loads(json.dumps(params or {}))
            except TypeError as exc:
                raise ValidationError(f"task {spec.name}: parameters must be JSON values ({exc})",
                                      field="params") from None
            rows.append(TaskRun(name=spec.name, module=spec.module, params=clean,
                                max_attempts=spec.max_attempts or default_attempts))
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


def execute(wuye, task_id: int, now: dt.datetime | None = None) -> str:
    """One attempt of task ``task_id``: ``done``, ``retry`` (queued again), ``failed`` or ``skipped``."""
    with wuye.session() as s:
        row = s.get(TaskRun, task_id, with_for_update=True)
        if row is None or row.status in FINISHED:
            return "skipped"
        row.attempts += 1
        row.status, row.started_at, row.finished_at = TaskStatus.running, now or utcnow(), None
        name, module, params = row.name, row.module, dict(row.params or {})
    error, result, final = "", {}, False
    try:
        spec = get_task(name, module)
        with wuye.session() as s:
            s.info[SYSTEM_KEY] = True
            result = json.loads(json.dumps(spec.func(s, **params) or {}, default=str))
    except (ValidationError, NotFound, PermissionDenied) as exc:  # bad input: another attempt fails the same
        error, final = exc.message, True
    except WuyeError as exc:
        error = exc.message
    except Exception as exc:  # a task's bug or a lost connection: an attempt to retry
        error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"
    with wuye.session() as s:
        row = s.get(TaskRun, task_id, with_for_update=True)
        row.finished_at = utcnow()
        if not error:
            row.status, row.result, row.error = TaskStatus.done, result, ""
            return "done"
        row.error = error[:20_000]
        row.status = TaskStatus.failed if final or row.attempts >= row.max_attempts else TaskStatus.queued
        log.warning("task %s #%s failed (attempt %s of %s): %s", name, task_id, row.attempts, row.max_attempts,
                    error.splitlines()[0] if error else "")
        return "failed" if row.status == TaskStatus.failed else "retry"


def mark_tasks_lost(session, task_ids: list[int], note: str) -> int:
    """Mark tasks whose worker died mid-attempt (still ``queued``/``running``) as ``lost``; how many."""
    rows = session.query(TaskRun).filter(TaskRun.id.in_(task_ids),
                                         TaskRun.status.in_([TaskStatus.queued, TaskStatus.running])).all()
    for row in rows:
        row.status, row.error = TaskStatus.lost, note
    return len(rows)
