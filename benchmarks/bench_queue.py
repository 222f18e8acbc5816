"""Billing run on the task queue (issue 21): N units with 1, 2 and 4 Celery workers against the
single-process run, in the same run, on a database of its own.

Each configuration bills its own period (same units, same fee items, so the same number of lines):
the single-process :func:`~plugins.billing.run.run_billing` first, the baseline, then the queued run
(:func:`~plugins.billing.run.queued.start_run`: one task per chunk of buildings) with 1, 2 and 4
worker processes (``wuye worker --pool solo`` each), timed from queuing to the run's end. Workers
are started and ready before the clock starts. On PostgreSQL when it is reachable, else SQLite
(where writers take turns: the figure shows the queue's overhead, not a speed-up). Needs Redis;
skipped when it is not reachable.

    python -m benchmarks queue [--quick] [--units N]
    python -m benchmarks.bench_queue --units 20000 [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import Session

from benchmarks.bench_billing import _items
from benchmarks.common import Result, fresh_database, pg_url, timer
from benchmarks.data import make_estate
from core.queue import testing as qt
from core.testing import boot

PERIODS = {"single": "2026-05", 1: "2026-06", 2: "2026-07", 4: "2026-08"}


def _queued_run(wuye, estate_code: str, period: str, timeout: float = 3600) -> tuple[float, dict]:
    from plugins.billing.run.queued import run_progress, start_run

    deadline = time.monotonic() + timeout
    with timer() as t:
        run_id = start_run(wuye, estate_code, period)
        while True:
            with wuye.session() as s:
                state = run_progress(s, run_id)
            if state["status"] == "done":
                break
            if state["failed_chunks"]:
                from core.models.queue import TaskRun

                with wuye.session() as s:
                    errors = [s.get(TaskRun, c["task_id"]).error for c in state["chunks"]
                              if c["seq"] in state["failed_chunks"]]
                raise RuntimeError(f"chunks {state['failed_chunks']} failed: {errors[0]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the queued run is not done after {timeout:.0f} s: {state}")
            time.sleep(0.05)
    return t["seconds"], state


def run_backend(backend: str, n_units: int, tmpdir: Path, counts=(1, 2, 4)) -> list[Result]:
    from plugins.billing.run import run_billing

    queue = qt.queue_name()
    with fresh_database(backend, tmpdir) as engine:
        url = engine.url.render_as_string(hide_password=False)
        wuye = boot(["billing"], database_url=url, jobs={"broker_url": qt.broker_url(), "queue": queue})
        estate_id = make_estate(engine, "BQ", n_units)
        _items(engine, wuye, estate_id)
        with Session(engine, expire_on_commit=False, info={"wuye": wuye}) as s:
            from core.models import Estate

            code = s.get(Estate, estate_id).code
            with timer() as single:
                summary = run_billing(s, code, PERIODS["single"])
        lines = summary["lines_created"]
        assert lines == 3 * n_units, summary
        out = []
        config = qt.write_config(tmpdir, url, ["billing"], queue)
        for n in counts:
            workers = []
            try:
                for k in range(n):
                    log = tmpdir / f"bench-w{n}-{k}.log"
                    workers.append((qt.Worker(config, f"bench{n}-{k}-{queue}", log), log))
                for w, log in workers:
                    qt.wait_ready(w, log)
                seconds, state = _queued_run(wuye, code, PERIODS[n])
            finally:
                for w, _log in workers:
                    w.stop()
            assert state["lines_created"] == lines, state
            speedup = single["seconds"] / seconds
            out.append(Result(f"billing_run_queue_{n}_worker{'s' if n > 1 else ''}", backend, "units/s",
                              round(n_units / seconds), "units/s",
                              baseline="single-process run_billing (units/s)",
                              baseline_value=round(n_units / single["seconds"]), ratio=round(speedup, 2),
                              target="for the record (2 cores: expect little)", met=None,
                              notes=f"{n_units:,} units, {state['chunks_total']} chunks, {n} worker process(es); "
                                    f"{seconds:.1f} s vs {single['seconds']:.1f} s in one process",
                              extra={"units": n_units, "lines": lines, "workers": n, "chunks": state["chunks_total"],
                                     "seconds": round(seconds, 2), "single_seconds": round(single["seconds"], 2)}))
            print(f"  {backend} {n} worker(s): {seconds:.1f} s ({speedup:.2f} x the single process, "
                  f"{single['seconds']:.1f} s)", file=sys.stderr)
        qt.drop_queue(queue)
        wuye.engine.dispose()
    return out


def run(backends: list[str], quick: bool, tmpdir, units: int | None = None) -> list[Result]:
    if not qt.redis_reachable():
        print(f"  skipped: Redis is not reachable at {qt.broker_url()}", file=sys.stderr)
        return []
    n_units = units or (20_000 if quick else 200_000)
    chosen = ["postgresql"] if "postgresql" in backends else ["sqlite"]
    return [r for b in chosen for r in run_backend(b, n_units, Path(tmpdir))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_queue")
    parser.add_argument("--units", type=int, default=200_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default=None,
                        help="default: PostgreSQL when reachable, else SQLite")
    args = parser.parse_args(argv)
    backend = args.backend or ("postgresql" if pg_url() else "sqlite")
    with tempfile.TemporaryDirectory() as tmp:
        results = run([backend], False, tmp, units=args.units)
    print(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
