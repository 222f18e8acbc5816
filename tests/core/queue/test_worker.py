"""Core tasks through a real Celery worker on Redis: a notification sent by the worker, and a task
failing three times landing in the failed list with its error and nothing written; then retried.

Skipped only when Redis is not reachable (see core.queue.testing)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.clock import utcnow
from core.models import Estate
from core.models.notification import DeliveryStatus, Notification
from core.models.queue import TaskRun, TaskStatus
from core.queue import enqueue, retry_task
from core.queue import testing as qt
from core.testing import boot, reset_schema

from . import worker_tasks

pytestmark = [
    pytest.mark.queue,
    pytest.mark.skipif(not qt.redis_reachable(), reason=f"Redis is not reachable at {qt.broker_url()} "
                                                        "(start it: redis-server --daemonize yes)"),
]


@pytest.fixture(params=qt.backends())  # a worker is another process: its own database, SQLite and PostgreSQL
def worker_env(request, tmp_path):
    url = qt.fresh_database(tmp_path, request.param)
    queue = qt.queue_name()
    config = qt.write_config(tmp_path, url, [], queue, retry_delay_seconds=0)
    wuye = boot([], database_url=url, jobs={"broker_url": qt.broker_url(), "queue": queue, "retry_delay_seconds": 0})
    reset_schema(wuye.engine)
    worker = qt.Worker(config, f"w-{queue}", tmp_path / "worker.log")
    yield wuye
    worker.stop()
    qt.drop_queue(queue)
    wuye.engine.dispose()


def _task(wuye, task_id) -> TaskRun:
    with wuye.session() as s:
        row = s.get(TaskRun, task_id)
        s.expunge(row)
        return row


def test_a_notification_is_sent_by_the_worker(worker_env):
    wuye = worker_env
    with wuye.session() as s:
        row = Notification(event="core.test", channel="sms", address="13800000000", subject="停水通知",
                           body="明日 9:00-12:00 停水", next_attempt_at=utcnow() - dt.timedelta(minutes=1))
        s.add(row)
        s.flush()
        note_id = row.id
    task_id = enqueue(wuye, "core.deliver_notifications")
    qt.wait_for(lambda: _task(wuye, task_id).status == TaskStatus.done, 60, "the worker to run the delivery")
    assert _task(wuye, task_id).result == {"sent": 1, "failed": 0, "retrying": 0}
    with wuye.session() as s:
        note = s.get(Notification, note_id)
        assert (note.status, note.attempts, note.last_error) == (DeliveryStatus.sent, 1, "")
        assert note.sent_at is not None


def test_a_task_failing_three_times_lands_in_the_failed_list_with_nothing_written(worker_env):
    wuye = worker_env
    assert worker_tasks.always_fails  # declares core.test_always_fails in this process too
    task_id = enqueue(wuye, "core.test_always_fails", code="QF")
    qt.wait_for(lambda: _task(wuye, task_id).status == TaskStatus.failed, 60, "three failed attempts")
    row = _task(wuye, task_id)
    assert (row.attempts, row.max_attempts) == (3, 3)
    assert "RuntimeError: the SMS gateway refused QF" in row.error
    with wuye.session() as s:
        assert s.scalar(select(func.count()).select_from(Estate).where(Estate.code == "QF")) == 0
        failed = list(s.scalars(select(TaskRun.id).where(TaskRun.status == TaskStatus.failed)))
    assert failed == [task_id]
    retry_task(wuye, task_id)  # from the failed list: three more attempts, failing again
    qt.wait_for(lambda: (r := _task(wuye, task_id)).status == TaskStatus.failed and r.attempts == 3, 60,
                "the retried task to fail again")
