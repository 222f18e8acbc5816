"""A billing run through real Celery workers on Redis: a worker killed (SIGKILL) mid-run, the run
re-queued, and every line billed exactly once, none missing.

Runs on an SQLite file, or on the separate PostgreSQL database ``wuye_queue_test`` when
WUYE_TEST_DATABASE_URL is set (see core.queue.testing); skipped only when Redis is not reachable.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from core.cli import State, build_cli
from core.queue import testing as qt
from core.seed import seed_all
from core.testing import boot, reset_schema
from plugins.billing.models import ChargeLine
from plugins.billing.models.run import BillingRun, BillingRunChunk

from .helpers import add_unit, item, make_estate, quiet_catalogue

pytestmark = [
    pytest.mark.queue,
    pytest.mark.skipif(not qt.redis_reachable(), reason=f"Redis is not reachable at {qt.broker_url()} "
                                                        "(start it: redis-server --daemonize yes)"),
]

BUILDINGS, UNITS_PER_BUILDING = 24, 5  # 120 units: 24 chunks of one building each
PERIOD, DAY = "2026-11", dt.date(2026, 11, 5)


@pytest.fixture(params=qt.backends())  # a worker is another process: its own database, SQLite and PostgreSQL
def queue_env(request, tmp_path):
    url = qt.fresh_database(tmp_path, request.param)
    queue = qt.queue_name()
    config = qt.write_config(tmp_path, url, ["billing"], queue)
    wuye = boot(["billing"], database_url=url, jobs={"broker_url": qt.broker_url(), "queue": queue})
    reset_schema(wuye.engine)
    workers: list[qt.Worker] = []

    def start_worker(name: str) -> qt.Worker:
        w = qt.Worker(config, f"{name}-{queue}", tmp_path / f"{name}.log")
        workers.append(w)
        return w

    yield wuye, url, start_worker, tmp_path
    for w in workers:
        w.stop()
    qt.drop_queue(queue)
    wuye.engine.dispose()


def _estate(wuye) -> str:
    with wuye.session() as s:
        seed_all(s, wuye)
        quiet_catalogue(s)
        estate, buildings = make_estate(s, "QW", buildings=BUILDINGS)
        for b in buildings:
            for i in range(UNITS_PER_BUILDING):
                add_unit(s, b, f"{b.code}0{i}", area=f"{80 + i}.{b.id % 100:02d}")
        item(s, estate, "pf", price="2.35")
        return estate.code


def _expected(wuye, code) -> tuple[int, int]:
    from plugins.billing.run import run_billing

    with wuye.sessions() as s:
        dry = run_billing(s, code, PERIOD, dry_run=True, today=DAY)
    return dry["lines_created"], dry["amount_fen"]


def _progress(wuye, run_id) -> tuple[str, int, int]:
    with wuye.session() as s:
        run = s.get(BillingRun, run_id)
        return run.status, run.chunks_done, run.chunks_total


class WriteLock:
    """Holds the database's write lock, so the worker's next chunk waits inside its task."""

    def __init__(self, wuye, url: str):
        self.url, self.wuye = url, wuye

    def __enter__(self):
        if self.url.startswith("sqlite"):
            self.conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30, isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.conn = self.wuye.engine.connect()
            self.tx = self.conn.begin()
            self.conn.execute(text("LOCK TABLE billing_charge_lines IN EXCLUSIVE MODE"))
        return self

    def __exit__(self, *exc):
        if self.url.startswith("sqlite"):
            self.conn.execute("ROLLBACK")
        else:
            self.tx.rollback()
        self.conn.close()


def _record_tasks(wuye, run_id: int, seqs: list[int]) -> list[int]:
    """TaskRun rows for chunks ``seqs``, committed but not sent yet (as enqueue_many records them)."""
    from core.models.queue import TaskRun
    from plugins.billing.run import queued

    with wuye.session() as s:
        rows = [TaskRun(name=queued.CHUNK_TASK, module=queued.__name__, params={"run_id": run_id, "seq": seq},
                        max_attempts=3) for seq in seqs]
        s.add_all(rows)
        s.flush()
        for seq, row in zip(seqs, rows, strict=True):
            s.scalar(select(BillingRunChunk).where(BillingRunChunk.run_id == run_id,
                                                   BillingRunChunk.seq == seq)).task_id = row.id
        return [r.id for r in rows]


def test_a_worker_killed_mid_run_and_the_run_requeued_bills_every_line_exactly_once(queue_env):
    from core.queue import enqueue_many
    from core.queue.runner import dispatch
    from plugins.billing.run import queued

    wuye, url, start_worker, _tmp = queue_env
    code = _estate(wuye)
    lines, fen = _expected(wuye, code)
    assert lines == BUILDINGS * UNITS_PER_BUILDING
    with wuye.session() as s:
        run_id = queued.create_run(s, code, PERIOD, today=DAY).id
    assert _progress(wuye, run_id) == ("running", 0, BUILDINGS)

    first = start_worker("w1")
    enqueue_many(wuye, [(queued.CHUNK_TASK, {"run_id": run_id, "seq": seq}) for seq in (1, 2, 3)])
    qt.wait_for(lambda: _progress(wuye, run_id)[1] == 3, 90, "the first worker to bill three chunks")
    rest = _record_tasks(wuye, run_id, list(range(4, BUILDINGS + 1)))
    with WriteLock(wuye, url):
        dispatch(wuye, rest)
        # the worker took the next chunk and waits for the lock inside its task: kill it there
        qt.wait_for(lambda: qt.queue_length(queue_env_queue(wuye)) == len(rest) - 1, 30,
                    "the worker to take the next chunk")
        first.kill()
    assert _progress(wuye, run_id) == ("running", 3, BUILDINGS)
    with wuye.session() as s:
        billed = s.scalar(select(func.count(ChargeLine.id)).where(ChargeLine.run_period == PERIOD))
    assert billed == 3 * UNITS_PER_BUILDING  # only whole chunks were written

    # re-queue the run with `wuye billing run` again; two new workers finish it while it shows progress
    start_worker("w2")
    start_worker("w3")
    state = State(None)
    state._wuye = wuye
    result = CliRunner().invoke(build_cli(state), ["billing", "run", "--estate", code, "--period", PERIOD,
                                                   "--json", "--timeout", "180"], obj=state)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["id"], out["status"], out["chunks_done"], out["lines_created"]) == (run_id, "done", BUILDINGS, lines)
    assert f"Billing {code} {PERIOD}" in result.stderr  # the progress bar

    with wuye.session() as s:
        count, amount = s.execute(select(func.count(ChargeLine.id), func.sum(ChargeLine.amount_fen))
                                  .where(ChargeLine.run_period == PERIOD)).one()
        dupes = s.execute(select(ChargeLine.unit_id).where(ChargeLine.run_period == PERIOD)
                          .group_by(ChargeLine.unit_id, ChargeLine.fee_item_id)
                          .having(func.count() > 1)).all()
        missing = lines - s.scalar(select(func.count(func.distinct(ChargeLine.unit_id)))
                                   .where(ChargeLine.run_period == PERIOD))
        run = s.get(BillingRun, run_id)
        chunk_lines = s.scalar(select(func.sum(BillingRunChunk.lines_created)).where(BillingRunChunk.run_id == run_id))
        assert (count, amount, dupes, missing) == (lines, fen, [], 0)
        assert (run.status, run.chunks_done, run.lines_created, run.amount_fen, chunk_lines) == \
            ("done", BUILDINGS, lines, fen, lines)
        assert "prepaid_applied" in run.summary


def queue_env_queue(wuye) -> str:
    from core.queue.attempts import jobs_settings

    return jobs_settings(wuye)["queue"]
