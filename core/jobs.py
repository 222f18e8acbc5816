"""Scheduled jobs that plugins contribute through ``wuye_scheduled_jobs`` (spec 1.4 items 2 and 8).

A job is run by ``wuye jobs run`` (from cron or a systemd timer, e.g. every 5 minutes). Without
names, only the jobs that are *due* run: a job is due when it never succeeded, or when its last
successful run (``core_job_runs``) was in an earlier slot of its schedule:

* ``every N minutes`` / ``every N hours``: an earlier N-minute / N-hour slot of the clock;
* ``hourly`` = ``every 1 hours``; ``daily`` / ``every N days``: N days later by the company's local date;
* ``weekly``: an earlier ISO week; ``monthly``: an earlier calendar month (local time).

Each job runs in its own transaction with ``session.info["wuye_system"] = True`` (so it may apply
workflow transitions with ``actor=None``); a failing job is rolled back, recorded and reported,
and the others still run. Periodic business follow-ups (arrears every 15 days, quarterly census)
are jobs of their plugins that select what is due by their own dates, so running them twice is
harmless.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from core.context import SYSTEM_KEY
from core.db import utcnow
from core.errors import ValidationError, WuyeError

SCHEDULE_RE = re.compile(r"^every (\d+) (minute|hour|day)s?$")
NAMED = {"hourly": ("hour", 1), "daily": ("day", 1), "weekly": ("week", 1), "monthly": ("month", 1)}


@dataclass(frozen=True)
class Job:
    """A job the scheduler runs. ``schedule`` is ``every N minutes|hours|days``, ``hourly``, ``daily``,
    ``weekly`` or ``monthly`` (see the module docstring); ``func(session, now)`` does the work in one
    transaction and returns a short JSON-able summary dict."""

    name: str
    schedule: str
    func: Callable
    description: str = ""


def parse_schedule(schedule: str) -> tuple[str, int]:
    """``"every 5 minutes"`` -> ``("minute", 5)``; ``"monthly"`` -> ``("month", 1)``; ValueError if unknown."""
    text = " ".join((schedule or "").lower().split())
    if text in NAMED:
        return NAMED[text]
    m = SCHEDULE_RE.match(text)
    if not m or int(m.group(1)) < 1:
        raise ValueError(f"unknown schedule {schedule!r}; use 'every N minutes', 'every N hours', "
                         "'every N days', 'hourly', 'daily', 'weekly' or 'monthly'")
    return m.group(2), int(m.group(1))


def is_due(schedule: str, last: dt.datetime | None, now: dt.datetime, tz: str = "Asia/Shanghai") -> bool:
    """True when a job on ``schedule`` that last succeeded for ``last`` should run for ``now``."""
    if last is None:
        return True
    unit, n = parse_schedule(schedule)
    if unit in ("minute", "hour"):
        seconds = n * (60 if unit == "minute" else 3600)
        return int(now.timestamp()) // seconds > int(last.timestamp()) // seconds
    zone = ZoneInfo(tz)
    a, b = last.astimezone(zone).date(), now.astimezone(zone).date()
    if unit == "day":
        return (b - a).days >= n
    if unit == "week":
        return b.isocalendar()[:2] > a.isocalendar()[:2]
    return (b.year, b.month) > (a.year, a.month)


def check_schedules(wuye, problems: list[str]) -> None:
    """Startup check: every registered job has a schedule the runner understands."""
    for name, job in wuye.registry.jobs.items():
        try:
            parse_schedule(job.schedule)
        except ValueError as exc:
            problems.append(f"plugin '{wuye.registry.job_owner.get(name, '?')}': job '{name}': {exc}")


def last_runs(session, *, ok_only: bool = True) -> dict:
    """``{job name: JobRun}``: each job's latest (successful) run."""
    from core.models.audit import JobRun

    latest = select(JobRun.job, func.max(JobRun.id).label("id")).group_by(JobRun.job)
    if ok_only:
        latest = latest.where(JobRun.ok.is_(True))
    ids = [row.id for row in session.execute(latest)]
    return {r.job: r for r in session.scalars(select(JobRun).where(JobRun.id.in_(ids)))} if ids else {}


def select_jobs(wuye, names: list[str] | None, now: dt.datetime, *, force: bool = False) -> list[tuple[Job, bool]]:
    """``[(job, due)]`` in name order; named jobs are always due; unknown names are an error."""
    jobs = wuye.registry.jobs
    if names:
        unknown = [n for n in names if n not in jobs]
        if unknown:
            raise ValidationError(f"unknown job(s) {', '.join(unknown)}; known jobs: "
                                  f"{', '.join(sorted(jobs)) or 'none'} (see `wuye jobs list`)", field="name")
        return [(jobs[n], True) for n in dict.fromkeys(names)]
    with wuye.session() as s:
        last = last_runs(s)
    tz = wuye.config.timezone
    return [(jobs[n], force or is_due(jobs[n].schedule, last[n].as_of if n in last else None, now, tz))
            for n in sorted(jobs)]


def run_job(wuye, job: Job, now: dt.datetime) -> dict:
    """Run one job in its own transaction and record the run; never raises for the job's own errors."""
    from core.models.audit import JobRun

    started = utcnow()
    result = {"name": job.name, "ok": True, "summary": {}, "error": ""}
    try:
        with wuye.session() as s:
            s.info[SYSTEM_KEY] = True
            summary = job.func(s, now)
        result["summary"] = json.loads(json.dumps(summary or {}, default=str))
    except WuyeError as exc:
        result.update(ok=False, error=exc.message)
    except Exception as exc:  # a job's bug must not stop the other jobs
        result.update(ok=False, error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}")
    with wuye.session() as s:
        s.add(JobRun(job=job.name, started_at=started, finished_at=utcnow(), as_of=now, ok=result["ok"],
                     summary=result["summary"], error=result["error"]))
    return result


def run_jobs(wuye, names: list[str] | None = None, *, now: dt.datetime | None = None,
             force: bool = False) -> list[dict]:
    """Run the named jobs, or every due job (every job with ``force``); one result dict per job."""
    now = now or utcnow()
    out = []
    for job, due in select_jobs(wuye, names, now, force=force):
        out.append(run_job(wuye, job, now) if due else
                   {"name": job.name, "ok": True, "skipped": True, "summary": {}, "error": ""})
    return out
