"""The Celery application built from ``[jobs]``: one generic task runs any Wuye task by its TaskRun id.

Messages carry only the TaskRun id; the row has the name, module and parameters, so the queue
holds no business data and a message delivered twice finds the row finished and does nothing.
Messages are acknowledged after the attempt (``acks_late``): a killed worker's task is delivered
again (after ``visibility_timeout`` on Redis), and ``wuye billing run`` re-queues an unfinished run
at once. Celery beat (``wuye scheduler``) sends ``core.run_job`` for each scheduled job.
"""

from __future__ import annotations

import datetime as dt

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init

from core.jobs import parse_schedule
from core.queue.attempts import execute, jobs_settings, record_tasks, retry_delay

GENERIC = "wuye.execute"
_APPS: dict[int, Celery] = {}
_WORKER: dict = {}  # the instance a worker process serves (set by app_for)


def app_for(wuye) -> Celery:
    """The Celery app of this instance (built once per process)."""
    app = _APPS.get(id(wuye))
    if app is not None:
        return app
    cfg = jobs_settings(wuye)
    app = Celery("wuye", broker=cfg["broker_url"], set_as_current=False)
    app.conf.update(
        task_default_queue=cfg["queue"],
        task_acks_late=True,  # acknowledged after the attempt: a killed worker's task is redelivered
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # long chunks: a worker takes one task at a time
        broker_transport_options={"visibility_timeout": cfg["visibility_timeout"]},
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,  # the outcome is in core_task_runs, not in a result backend
        timezone=wuye.config.timezone,
        enable_utc=True,
        worker_hijack_root_logger=False,
    )

    @app.task(name=GENERIC, bind=True, acks_late=True)
    def run_task(self, task_id: int):
        outcome = execute(wuye, task_id)
        if outcome == "retry":
            from core.models.queue import TaskRun

            with wuye.session() as s:
                attempts = s.get(TaskRun, task_id).attempts
            send(wuye, task_id, countdown=retry_delay(wuye, attempts))
        return outcome

    @app.task(name="wuye.beat")
    def beat(job: str):  # what beat sends: a core.run_job task, recorded and retried like any other
        [task_id] = record_tasks(wuye, [("core.run_job", {"job": job})])
        send(wuye, task_id)
        return task_id

    app.conf.beat_schedule = beat_schedule(wuye)
    _APPS[id(wuye)] = app
    _WORKER["wuye"] = wuye
    return app


@worker_process_init.connect
def _fresh_connections(**_kw):
    # a forked pool process must not share the parent's database connections
    wuye = _WORKER.get("wuye")
    if wuye is not None:
        wuye.engine.dispose(close=False)


def send(wuye, task_id: int, *, countdown: int = 0) -> None:
    """Send TaskRun ``task_id`` to the workers (after ``countdown`` seconds)."""
    app = app_for(wuye)
    app.send_task(GENERIC, args=[task_id], queue=jobs_settings(wuye)["queue"], countdown=countdown or None)


def schedule_of(text: str, tz: str):
    """A job's schedule (``every 5 minutes``, ``daily``...) as a Celery beat schedule."""
    unit, n = parse_schedule(text)
    if unit == "minute":
        return dt.timedelta(minutes=n)
    if unit == "hour":
        return crontab(minute=0, hour="*" if n == 1 else f"*/{n}")
    if unit == "day":
        return crontab(minute=0, hour=0) if n == 1 else dt.timedelta(days=n)
    if unit == "week":
        return crontab(minute=0, hour=0, day_of_week=1)
    return crontab(minute=0, hour=0, day_of_month=1)


def beat_schedule(wuye) -> dict:
    """One beat entry per scheduled job: it queues ``core.run_job`` with the job's name."""
    out = {}
    for name, job in sorted(wuye.registry.jobs.items()):
        out[name] = {"task": "wuye.beat", "schedule": schedule_of(job.schedule, wuye.config.timezone),
                     "args": [name], "options": {"queue": jobs_settings(wuye)["queue"]}}
    return out

