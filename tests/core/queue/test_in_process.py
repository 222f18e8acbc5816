"""The task queue without a broker (the default): tasks run in the calling process, with the same
attempts, failed list and retry as on the workers."""

from __future__ import annotations

import datetime as dt

import pytest
from celery.schedules import crontab
from sqlalchemy import func, select

from core.config import load_data
from core.errors import ConfigError, ValidationError
from core.models import Estate
from core.models.queue import TaskRun, TaskStatus
from core.queue import enqueue, queue_enabled, retry_task, task
from core.queue.celery_app import schedule_of

CALLS: dict[str, int] = {}


@task("core.test_add_estate")
def add_estate(session, code: str, fail_times: int = 0) -> dict:
    """Writes an estate, then fails the first ``fail_times`` attempts: a failure must leave no estate."""
    session.add(Estate(code=code, name=f"Estate {code}"))
    session.flush()
    CALLS[code] = CALLS.get(code, 0) + 1
    if CALLS[code] <= fail_times:
        raise RuntimeError(f"gateway down (call {CALLS[code]})")
    return {"code": code}


@pytest.fixture(autouse=True)
def _fresh_calls():
    # counted per test: each test runs once per database, and the PostgreSQL run must fail again
    CALLS.clear()


def _estates(wuye, code):
    with wuye.session() as s:
        return s.scalar(select(func.count()).select_from(Estate).where(Estate.code == code))


def _row(wuye, task_id) -> TaskRun:
    with wuye.session() as s:
        row = s.get(TaskRun, task_id)
        s.expunge(row)
        return row


def test_without_broker_a_task_runs_at_once_and_is_recorded(committed):
    wuye = committed
    assert not queue_enabled(wuye)
    task_id = enqueue(wuye, "core.test_add_estate", code="QA")
    row = _row(wuye, task_id)
    assert (row.status, row.attempts, row.result, row.error) == (TaskStatus.done, 1, {"code": "QA"}, "")
    assert row.module == __name__
    assert _estates(wuye, "QA") == 1


def test_a_failing_attempt_is_retried_and_writes_nothing_itself(committed):
    wuye = committed
    task_id = enqueue(wuye, "core.test_add_estate", code="QB", fail_times=2)
    row = _row(wuye, task_id)
    assert (row.status, row.attempts) == (TaskStatus.done, 3)
    assert _estates(wuye, "QB") == 1  # the two failed attempts' estates were rolled back


def test_three_failures_land_in_the_failed_list_with_the_error_and_nothing_written(committed):
    wuye = committed
    task_id = enqueue(wuye, "core.test_add_estate", code="QC", fail_times=5)
    row = _row(wuye, task_id)
    assert (row.status, row.attempts) == (TaskStatus.failed, 3)
    assert "RuntimeError: gateway down (call 3)" in row.error
    assert _estates(wuye, "QC") == 0
    # retry from the failed list: attempts reset; two more failures then success
    retry_task(wuye, task_id)
    row = _row(wuye, task_id)
    assert (row.status, row.attempts, row.error) == (TaskStatus.done, 3, "")
    assert _estates(wuye, "QC") == 1
    with pytest.raises(ValidationError, match="only failed or lost tasks"):
        retry_task(wuye, task_id)


def test_unknown_task_and_bad_params_are_refused_and_record_nothing(committed):
    wuye = committed
    with pytest.raises(ValidationError, match="unknown task 'core.nope'"):
        enqueue(wuye, "core.nope")
    with pytest.raises(ValidationError, match="must be JSON values"):
        enqueue(wuye, "core.test_add_estate", code=object())
    with wuye.session() as s:
        assert s.scalar(select(func.count()).select_from(TaskRun)) == 0


def test_task_names_must_name_their_plugin():
    with pytest.raises(ValueError, match="<plugin>.<what>"):
        task("NoDot")


def test_jobs_section_is_validated():
    assert load_data({}).jobs["broker_url"] == ""
    cfg = load_data({"jobs": {"broker_url": "redis://127.0.0.1:6379/3", "queue": "q1"}})
    assert (cfg.jobs["broker_url"], cfg.jobs["queue"], cfg.jobs["max_attempts"]) == ("redis://127.0.0.1:6379/3", "q1", 3)
    with pytest.raises(ConfigError, match="unknown key 'jobs.brokr'"):
        load_data({"jobs": {"brokr": "x"}})
    with pytest.raises(ConfigError, match="jobs.max_attempts"):
        load_data({"jobs": {"max_attempts": 0}})


def test_job_schedules_become_beat_schedules():
    assert schedule_of("every 5 minutes", "Asia/Shanghai") == dt.timedelta(minutes=5)
    assert schedule_of("hourly", "Asia/Shanghai") == crontab(minute=0, hour="*")
    assert schedule_of("daily", "Asia/Shanghai") == crontab(minute=0, hour=0)
    assert schedule_of("monthly", "Asia/Shanghai") == crontab(minute=0, hour=0, day_of_month=1)
    assert schedule_of("every 3 days", "Asia/Shanghai") == dt.timedelta(days=3)


def test_the_scheduled_jobs_become_beat_entries(wuye):
    from core.queue.celery_app import beat_schedule

    entries = beat_schedule(wuye)
    assert set(entries) == set(wuye.registry.jobs)
    assert all(e["task"] == "wuye.beat" for e in entries.values())


def test_run_job_task_records_the_job_run(committed):
    from core.models.audit import JobRun

    wuye = committed
    name = sorted(wuye.registry.jobs)[0]
    task_id = enqueue(wuye, "core.run_job", job=name, now="2026-03-01T00:00:00+00:00")
    assert _row(wuye, task_id).status == TaskStatus.done
    with wuye.session() as s:
        run = s.scalar(select(JobRun).where(JobRun.job == name))
        assert run.ok and run.as_of == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
