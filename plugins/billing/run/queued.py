"""The billing run on the task queue: one task per chunk of buildings, and a run record of the progress.

:func:`start_run` plans the run like :func:`~plugins.billing.run.run_billing` (prices checked first,
nothing written when one is missing), records a :class:`BillingRun` with one
:class:`BillingRunChunk` per chunk of whole buildings, commits, then queues one
``billing.run_chunk`` task per chunk. A chunk task is idempotent: a chunk already ``done`` writes
nothing, and lines are unique per (unit, fee item, run_period), so a chunk redone after its
worker was killed inserts only what is missing. The task that bills the last chunk also assesses
late fees and applies prepaid balances, exactly once (the run row is locked).

Starting a run of an estate and period that has an unfinished run re-queues that run's remaining
chunks instead (what ``wuye billing run`` does after a worker died). Without a broker the tasks
run in-process, chunk after chunk. See docs/jobs.md.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import authorize, enqueue_many, estate_today, mark_tasks_lost, task, utcnow
from core.models import Estate
from core.models.queue import TaskRun, TaskStatus
from plugins.billing import periods as P
from plugins.billing.models.run import BillingRun, BillingRunChunk
from plugins.billing.run.chunk import bill_chunk, chunk_statements
from plugins.billing.run.plan import plan, resolve_estate, run_buildings, run_chunks, unit_counts
from plugins.billing.run.summary import add_chunk, period_summary
from plugins.billing.settings import billing_settings

CHUNK_TASK = "billing.run_chunk"


def open_run(session: Session, estate: Estate, period: str) -> BillingRun | None:
    """The estate's unfinished queued run of ``period``, if any (the latest)."""
    return session.scalar(select(BillingRun).where(BillingRun.estate_id == estate.id, BillingRun.period == period,
                                                   BillingRun.status == "running")
                          .order_by(BillingRun.id.desc()).limit(1))


def create_run(session: Session, estate, period: str, *, actor=None, today: dt.date | None = None) -> BillingRun:
    """Plan and record a run with its chunks (flushed, not committed); prices checked first."""
    if actor is not None:
        authorize(session, actor, "billing.run")
    estate = resolve_estate(session, estate)
    P.parse_period(period)
    plan(session, estate, period)  # a missing price is an error before anything is written
    chunks = run_chunks(session, estate, run_buildings(session, estate, None))
    counts = unit_counts(session, estate)
    run = BillingRun(estate_id=estate.id, period=period, posted_on=today or estate_today(session, estate),
                     chunks_total=len(chunks), created_by_id=getattr(actor, "id", None), summary={})
    run.chunks = [BillingRunChunk(seq=i, building_ids=[b.id for b in chunk],
                                  units=sum(counts.get(b.id, 0) for b in chunk))
                  for i, chunk in enumerate(chunks, start=1)]
    session.add(run)
    session.flush()
    return run


def start_run(wuye, estate, period: str, *, actor=None, today: dt.date | None = None) -> int:
    """Queue the run of ``estate`` for ``period`` (or re-queue its unfinished run); the run's id."""
    with wuye.session() as s:
        est = resolve_estate(s, estate)
        run = open_run(s, est, period) or create_run(s, est, period, actor=actor, today=today)
        run_id = run.id
    requeue(wuye, run_id)
    return run_id


def requeue(wuye, run_id: int) -> list[int]:
    """Queue a task for every chunk of the run not billed yet; the earlier tasks of those chunks are
    marked ``lost`` (a redelivered message for them then does nothing). The new task ids."""
    with wuye.session() as s:
        todo = list(s.scalars(select(BillingRunChunk).where(BillingRunChunk.run_id == run_id,
                                                            BillingRunChunk.status != "done")
                              .order_by(BillingRunChunk.seq)))
        stale = [c.task_id for c in todo if c.task_id is not None]
        if stale:
            mark_tasks_lost(s, stale, "re-queued: the run was started again (its worker may have died)")
        seqs = [c.seq for c in todo]
    if not seqs:
        finish_if_complete(wuye, run_id)
        return []
    ids = enqueue_many(wuye, [(CHUNK_TASK, {"run_id": run_id, "seq": seq}) for seq in seqs])
    with wuye.session() as s:
        for seq, task_id in zip(seqs, ids, strict=True):
            chunk = s.scalar(select(BillingRunChunk).where(BillingRunChunk.run_id == run_id,
                                                           BillingRunChunk.seq == seq))
            chunk.task_id = task_id  # the task last queued for it (it may have run already)
    return ids


def finish_if_complete(wuye, run_id: int) -> None:
    """Finish a run whose chunks are all billed but whose end was not recorded (crash in between)."""
    with wuye.session() as s:
        s.info["wuye_system"] = True
        run = s.get(BillingRun, run_id, with_for_update=True)
        _finish(s, run)


@task(CHUNK_TASK, description="Bill one chunk of buildings of a queued billing run")
def run_chunk(session: Session, run_id: int, seq: int) -> dict:
    """Bill chunk ``seq`` of run ``run_id`` in this task's transaction; nothing if it is billed already."""
    chunk = session.scalar(select(BillingRunChunk).where(BillingRunChunk.run_id == run_id, BillingRunChunk.seq == seq)
                           .with_for_update())
    if chunk is None:
        return {"run_id": run_id, "seq": seq, "missing": True}
    if chunk.status == "done":
        return {"run_id": run_id, "seq": seq, "skipped": True}
    run = session.get(BillingRun, run_id)
    estate = session.get(Estate, run.estate_id)
    items = plan(session, estate, run.period)
    settings = billing_settings(session)
    counts = (0, 0, 0, 0)
    if items and chunk.building_ids:
        stmts = chunk_statements(session, estate, run.period, items, settings, None, run.posted_on)
        counts = bill_chunk(session, stmts, list(chunk.building_ids), False)
    chunk.lines_created, chunk.amount_fen, chunk.lines_existing = counts[0], counts[1], counts[2]
    chunk.status, chunk.finished_at = "done", utcnow()
    session.flush()
    # the run row is locked, so of two chunks finishing at once exactly one sees the run complete
    run = session.get(BillingRun, run_id, with_for_update=True, populate_existing=True)
    _finish(session, run)
    return {"run_id": run_id, "seq": seq, "lines_created": counts[0], "amount_fen": counts[1]}


def _finish(session: Session, run: BillingRun) -> None:
    """Recount the run's progress from its chunks; when all are billed, run the end of the run once."""
    chunks = list(session.scalars(select(BillingRunChunk).where(BillingRunChunk.run_id == run.id)))
    done = [c for c in chunks if c.status == "done"]
    run.chunks_done = len(done)
    run.lines_created = sum(c.lines_created for c in done)
    run.lines_existing = sum(c.lines_existing for c in done)
    run.amount_fen = sum(c.amount_fen for c in done)
    if run.status == "done" or len(done) < len(chunks):
        return
    from plugins.billing.run import _after_run

    estate = session.get(Estate, run.estate_id)
    summary = period_summary(estate, run.period, False)
    for c in done:
        add_chunk(summary, (c.lines_created, c.amount_fen, c.lines_existing, 0))
    _after_run(session, estate, run.period, None, billing_settings(session), summary, False, run.posted_on)
    run.summary = {k: summary[k] for k in ("late_fees", "prepaid_applied") if k in summary}
    run.status, run.finished_at = "done", utcnow()
    session.flush()


def run_progress(session: Session, run_id: int) -> dict:
    """The run's progress: totals and one entry per chunk (what the CLI bar and the admin show)."""
    run = session.get(BillingRun, run_id)
    if run is None:
        from core import NotFound

        raise NotFound(f"no billing run #{run_id}", field="run")
    session.refresh(run)
    task_ids = [c.task_id for c in run.chunks if c.task_id]
    task_status = dict(session.execute(select(TaskRun.id, TaskRun.status).where(TaskRun.id.in_(task_ids))).all()) \
        if task_ids else {}
    failed = [c.seq for c in run.chunks if c.status != "done" and task_status.get(c.task_id) == TaskStatus.failed]
    return {"id": run.id, "estate": run.estate.code, "period": run.period, "status": run.status,
            "chunks_total": run.chunks_total, "chunks_done": run.chunks_done,
            "lines_created": run.lines_created, "lines_existing": run.lines_existing, "amount_fen": run.amount_fen,
            "summary": run.summary or {}, "failed_chunks": failed,
            "chunks": [{"seq": c.seq, "status": c.status, "units": c.units, "buildings": len(c.building_ids),
                        "lines_created": c.lines_created, "task_id": c.task_id,
                        "task_status": task_status[c.task_id].value if c.task_id in task_status else None}
                       for c in sorted(run.chunks, key=lambda c: c.seq)]}
