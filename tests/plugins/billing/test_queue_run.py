"""The billing run on the task queue, in-process (no broker): a run record with one chunk per building
group, progress, idempotent chunks, and a run re-queued after a crash completing exactly.

The same run through real Celery workers, killed mid-run, is in tests/plugins/billing/test_queue_worker.py."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from core.cli import State, build_cli
from core.errors import ValidationError
from core.models import Estate
from core.models.queue import TaskRun, TaskStatus
from core.queue import execute
from plugins.billing.models import ChargeLine
from plugins.billing.models.run import BillingRun, BillingRunChunk
from plugins.billing.run import queued

from .helpers import committed_estate, item

EXPECTED = 23500 + 21002 + 28329  # the three units of estate CC at 2.35 yuan/m² (see test_run.py)
DAY = dt.date(2026, 11, 5)


def _lines(wuye, period="2026-11"):
    with wuye.session() as s:
        return s.execute(select(func.count(ChargeLine.id), func.coalesce(func.sum(ChargeLine.amount_fen), 0))
                         .where(ChargeLine.run_period == period)).one()


def test_a_queued_run_bills_every_chunk_and_records_its_progress(committed):
    wuye = committed
    ids = committed_estate(wuye)
    run_id = queued.start_run(wuye, ids["estate"], "2026-11", today=DAY)
    assert tuple(_lines(wuye)) == (3, EXPECTED)
    with wuye.session() as s:
        p = queued.run_progress(s, run_id)
        posted = set(s.scalars(select(ChargeLine.posted_on).where(ChargeLine.run_period == "2026-11")))
    assert (p["status"], p["chunks_done"], p["chunks_total"]) == ("done", 2, 2)  # two buildings, tiny estate
    assert (p["lines_created"], p["amount_fen"], p["lines_existing"]) == (3, EXPECTED, 0)
    assert [c["status"] for c in p["chunks"]] == ["done", "done"] and all(c["task_id"] for c in p["chunks"])
    assert "prepaid_applied" in p["summary"]  # the end of the run ran once the last chunk was billed
    assert posted == {DAY}
    # a second run of the same period creates nothing: every line exists
    again = queued.start_run(wuye, ids["estate"], "2026-11", today=DAY)
    assert again != run_id
    with wuye.session() as s:
        p2 = queued.run_progress(s, again)
    assert (p2["status"], p2["lines_created"], p2["lines_existing"]) == ("done", 0, 3)
    assert tuple(_lines(wuye)) == (3, EXPECTED)


def test_a_chunk_task_delivered_twice_writes_nothing_the_second_time(committed):
    wuye = committed
    ids = committed_estate(wuye)
    run_id = queued.start_run(wuye, ids["estate"], "2026-11", today=DAY)
    with wuye.session() as s:
        result = queued.run_chunk(s, run_id=run_id, seq=1)
    assert result == {"run_id": run_id, "seq": 1, "skipped": True}
    with wuye.session() as s:  # even a chunk reset to queued (its record lost) inserts nothing again
        chunk = s.scalar(select(BillingRunChunk).where(BillingRunChunk.run_id == run_id, BillingRunChunk.seq == 1))
        chunk.status = "queued"
    with wuye.session() as s:
        result = queued.run_chunk(s, run_id=run_id, seq=1)
    assert result["lines_created"] == 0
    assert tuple(_lines(wuye)) == (3, EXPECTED)


def test_a_run_whose_worker_died_is_requeued_and_completes_exactly(committed):
    wuye = committed
    ids = committed_estate(wuye)
    with wuye.session() as s:  # recorded, as if queued to workers that then died
        run = queued.create_run(s, ids["estate"], "2026-11", today=DAY)
        run_id = run.id
    with wuye.session() as s:
        first = TaskRun(name=queued.CHUNK_TASK, module=queued.__name__, params={"run_id": run_id, "seq": 1},
                        max_attempts=3)
        lost = TaskRun(name=queued.CHUNK_TASK, module=queued.__name__, params={"run_id": run_id, "seq": 2},
                       max_attempts=3, status=TaskStatus.running, attempts=1)
        s.add_all([first, lost])
        s.flush()
        for seq, t in ((1, first), (2, lost)):
            s.scalar(select(BillingRunChunk).where(BillingRunChunk.run_id == run_id,
                                                   BillingRunChunk.seq == seq)).task_id = t.id
        first_id, lost_id = first.id, lost.id
    assert execute(wuye, first_id) == "done"  # chunk 1 billed; the worker with chunk 2 was killed
    assert _lines(wuye)[0] == 2
    assert queued.start_run(wuye, ids["estate"], "2026-11") == run_id  # re-queues the unfinished run
    assert tuple(_lines(wuye)) == (3, EXPECTED)
    with wuye.session() as s:
        p = queued.run_progress(s, run_id)
        assert s.get(TaskRun, lost_id).status == TaskStatus.lost
    assert (p["status"], p["chunks_done"], p["lines_created"]) == ("done", 2, 3)
    assert execute(wuye, lost_id) == "skipped"  # its message redelivered later does nothing


def test_missing_price_refuses_the_run_and_records_nothing(committed):
    wuye = committed
    ids = committed_estate(wuye)
    with wuye.session() as s:
        item(s, s.scalar(select(Estate).where(Estate.code == ids["estate"])), "np", since=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError, match="np has no price for period 2026-11"):
        queued.start_run(wuye, ids["estate"], "2026-11")
    with wuye.session() as s:
        assert s.scalar(select(func.count(BillingRun.id))) == 0
        assert s.scalar(select(func.count(TaskRun.id))) == 0


def test_cli_progress_shows_the_chunks(committed):
    wuye = committed
    ids = committed_estate(wuye)
    run_id = queued.start_run(wuye, ids["estate"], "2026-11", today=DAY)
    state = State(None)
    state._wuye = wuye
    result = CliRunner().invoke(build_cli(state), ["billing", "progress", str(run_id)], obj=state)
    assert result.exit_code == 0, result.output
    assert f"CC 2026-11 run #{run_id}: done, 2/2 chunks, 3 lines created" in result.output
    assert "chunk    1  done" in result.output


def test_batch_payment_notices_are_rendered_by_a_task_into_one_pdf(committed, tmp_path):
    from pypdf import PdfReader

    from core.models import Building
    from core.queue import enqueue

    wuye = committed
    ids = committed_estate(wuye)
    queued.start_run(wuye, ids["estate"], "2026-11", today=DAY)
    with wuye.session() as s:
        b1 = s.scalar(select(Building).join(Estate).where(Estate.code == ids["estate"], Building.code == "1"))
        b1_id = b1.id
    out = tmp_path / "notices" / "b1.pdf"
    task_id = enqueue(wuye, "core.render_documents", document="billing.payment_notice", building_id=b1_id,
                      out=str(out), params={"period": "2026-11"})
    with wuye.session() as s:
        row = s.get(TaskRun, task_id)
        assert row.status == TaskStatus.done, row.error
        assert row.result["records"] == 2  # the two billed units of building 1
    assert len(PdfReader(out).pages) == 2 and not (tmp_path / "notices" / "b1.pdf.part").exists()
    bad = enqueue(wuye, "core.render_documents", document="billing.payment_notice", building_id=b1_id,
                  out=str(tmp_path / "bad.pdf"), params={"period": "2026-13"})
    with wuye.session() as s:
        row = s.get(TaskRun, bad)
        # bad input is not retried: another attempt would fail the same way
        assert (row.status, row.attempts) == (TaskStatus.failed, 1) and "2026-13" in row.error
    assert not (tmp_path / "bad.pdf").exists()


def test_following_a_run_whose_chunk_failed_stops_with_the_way_out(committed):
    from plugins.billing.run.progress import RunFailed, follow

    wuye = committed
    ids = committed_estate(wuye)
    with wuye.session() as s:
        run = queued.create_run(s, ids["estate"], "2026-11", today=DAY)
        bad = TaskRun(name=queued.CHUNK_TASK, module=queued.__name__, params={"run_id": run.id, "seq": 1},
                      status=TaskStatus.failed, attempts=3, error="OperationalError: disk full")
        s.add(bad)
        s.flush()
        run.chunks[0].task_id = bad.id
        run_id = run.id
    with pytest.raises(RunFailed, match=r"chunk\(s\) 1 failed every attempt; see `wuye jobs tasks --failed`"):
        follow(wuye, run_id, True, timeout=30)
