"""Following a queued billing run from the command line: start or re-queue it, and a progress bar."""

from __future__ import annotations

import sys
import time

import click

from core import WuyeError, echo_json, fen_to_yuan

POLL_SECONDS = 0.5


class RunTimedOut(WuyeError):
    exit_code = 1


class RunFailed(WuyeError):
    exit_code = 1


def queued_run_command(wuye, estate: str, period: str, to_period: str | None, as_json: bool, wait: bool,
                       *, timeout: float | None = None) -> list[dict]:
    """Queue (or re-queue) the run of every period in turn; with ``wait``, show each one's progress."""
    from plugins.billing.periods import periods_between
    from plugins.billing.run.plan import plan, resolve_estate
    from plugins.billing.run.queued import start_run

    with wuye.session() as s:
        est = resolve_estate(s, estate)
        todo = periods_between(period, to_period or period)
        for p in todo:
            plan(s, est, p)  # every period's prices checked before anything is queued
        code = est.code
    out = []
    for p in todo:
        run_id = start_run(wuye, code, p)
        out.append(follow(wuye, run_id, as_json, timeout=timeout) if wait else progress_of(wuye, run_id))
        if wait and out[-1]["status"] != "done":
            break
    if as_json:
        echo_json(out if len(out) > 1 else out[0])
    else:
        for r in out:
            click.echo(f"{r['estate']} {r['period']} run #{r['id']} {r['status']}: {r['chunks_done']}/"
                       f"{r['chunks_total']} chunks, created {r['lines_created']} lines, "
                       f"{fen_to_yuan(r['amount_fen'])} yuan; {r['lines_existing']} lines already existed")
    return out


def progress_of(wuye, run_id: int) -> dict:
    from plugins.billing.run.queued import run_progress

    with wuye.session() as s:
        return run_progress(s, run_id)


def follow(wuye, run_id: int, as_json: bool, *, timeout: float | None = None) -> dict:
    """A progress bar over the run's chunks until it is done (the workers do the work)."""
    state = progress_of(wuye, run_id)
    started = time.monotonic()
    with click.progressbar(length=state["chunks_total"], label=f"Billing {state['estate']} {state['period']}",
                           file=sys.stderr if as_json else None) as bar:
        shown = 0
        while True:
            bar.update(state["chunks_done"] - shown)
            shown = state["chunks_done"]
            if state["status"] == "done":
                return state
            if state["failed_chunks"]:
                raise RunFailed(f"run #{run_id}: chunk(s) {', '.join(map(str, state['failed_chunks']))} failed every "
                                "attempt; see `wuye jobs tasks --failed` for the error, fix it, then run the "
                                "command again to re-queue the rest")
            if timeout is not None and time.monotonic() - started > timeout:
                raise RunTimedOut(f"run #{run_id} is not done after {timeout:.0f} s ({shown}/{state['chunks_total']} "
                                  "chunks): are workers running (`wuye worker`)? Run the command again to re-queue it")
            time.sleep(POLL_SECONDS)
            state = progress_of(wuye, run_id)


def show_progress(wuye, run_id: int, as_json: bool) -> None:
    state = progress_of(wuye, run_id)
    if as_json:
        echo_json(state)
        return
    click.echo(f"{state['estate']} {state['period']} run #{state['id']}: {state['status']}, "
               f"{state['chunks_done']}/{state['chunks_total']} chunks, {state['lines_created']} lines created")
    for c in state["chunks"]:
        click.echo(f"  chunk {c['seq']:>4}  {c['status']:<7} {c['buildings']:>3} buildings {c['units']:>6} units "
                   f"{c['lines_created']:>7} lines  task #{c['task_id'] or '-'}")
