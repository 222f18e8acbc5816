"""Core's own tasks: a scheduled job, notification delivery and batch printing, run by the workers.

* ``core.run_job``: one scheduled job (what ``wuye scheduler`` sends; recorded in core_job_runs too);
* ``core.deliver_notifications``: one batch of due deliveries (each delivery keeps its own retries);
* ``core.render_documents``: a document for every record of a building, written as one PDF file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.errors import ValidationError
from core.queue.tasks import task


def _wuye(session):
    return session.info["wuye"]


def _when(now: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(now) if now else None


@task("core.run_job", description="Run one scheduled job (sent by `wuye scheduler`)")
def run_job_task(session, job: str, now: str | None = None) -> dict:
    """Run the scheduled job ``job`` in this task's transaction and record it in core_job_runs."""
    from core.clock import utcnow
    from core.models.audit import JobRun

    wuye = _wuye(session)
    spec = wuye.registry.jobs.get(job)
    if spec is None:
        raise ValidationError(f"unknown job {job!r}; see `wuye jobs list`", field="job")
    when = _when(now) or utcnow()
    started = utcnow()
    summary = spec.func(session, when) or {}
    session.add(JobRun(job=job, started_at=started, finished_at=utcnow(), as_of=when, ok=True,
                       summary={k: v for k, v in summary.items() if isinstance(v, int | str | float | bool)}))
    return {"job": job, **summary}


@task("core.deliver_notifications", description="Send the notifications that are due (e-mail, SMS, WeChat)")
def deliver_notifications_task(session, now: str | None = None) -> dict:
    """One batch of due deliveries: ``{sent, failed, retrying}`` (each delivery keeps its own retries)."""
    from core.notifications.delivery import deliver_due

    return deliver_due(session, _when(now))


@task("core.render_documents", description="Print a document for every record of a building into a PDF file")
def render_documents_task(session, document: str, building_id: int, out: str, params: dict | None = None,
                          lang: str | None = None) -> dict:
    """Document ``document`` for every record of building ``building_id`` as one PDF written to ``out``.

    The file is written to a temporary name and renamed, so a failed attempt leaves no partial PDF."""
    from core.documents import batch_records, render_batch_pdf

    records = batch_records(session, None, document, building_id, params=params)
    data = render_batch_pdf(session, None, document, records, params=params, lang=lang)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)
    return {"document": document, "building_id": building_id, "records": len(records), "bytes": len(data),
            "out": str(path)}
