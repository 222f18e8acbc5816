"""``wuye jobs list|run``: scheduled jobs (deadline escalation, plugin follow-ups)."""

from __future__ import annotations

import datetime as dt
import sys
from zoneinfo import ZoneInfo

import click

from core.cli import echo_json, pass_state


def _parse_now(value: str | None, tz: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date-time such as 2026-05-01T08:30 or "
                                 "2026-05-01T00:30+00:00", param_hint="--now") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(tz))  # a time typed without zone is the company's local time
    return when.astimezone(dt.UTC)


def register(cli: click.Group) -> None:
    @cli.group("jobs")
    def jobs():
        """Scheduled jobs: run `wuye jobs run` from cron or a timer every few minutes."""

    @jobs.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
    @pass_state
    def list_(state, as_json):
        """List the jobs of the enabled plugins with their schedule and last run."""
        from core.jobs import last_runs

        wuye = state.wuye
        with wuye.session() as s:
            last = last_runs(s, ok_only=False)
            rows = [{"name": name, "plugin": wuye.registry.job_owner.get(name, ""), "schedule": job.schedule,
                     "description": job.description,
                     "last_run": last[name].as_of.isoformat() if name in last else None,
                     "last_ok": last[name].ok if name in last else None}
                    for name, job in sorted(wuye.registry.jobs.items())]
        if as_json:
            echo_json(rows)
            return
        if not rows:
            click.echo("no jobs: no enabled plugin schedules any")
        for r in rows:
            last_text = "never run" if r["last_run"] is None else \
                f"last {r['last_run'][:16]} {'ok' if r['last_ok'] else 'FAILED'}"
            click.echo(f"{r['name']:<32} {r['schedule']:<18} {last_text:<28} {r['description']}")

    @jobs.command("run")
    @click.argument("names", nargs=-1, metavar="[NAME]...")
    @click.option("--all", "force", is_flag=True, help="Run every job, due or not.")
    @click.option("--now", "now_text", metavar="ISO", help="Run as of this time (local time if no zone given).")
    @click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
    @pass_state
    def run(state, names, force, now_text, as_json):
        """Run the named jobs, or every job that is due; each in its own transaction.

        Exits 1 when a job fails (the others still run) or a name is unknown.
        """
        from core.jobs import run_jobs

        wuye = state.wuye
        now = _parse_now(now_text, wuye.config.timezone)
        results = run_jobs(wuye, list(names) or None, now=now, force=force)
        if as_json:
            echo_json(results)
        else:
            for r in results:
                if r.get("skipped"):
                    click.echo(f"{r['name']:<32} not due")
                elif r["ok"]:
                    summary = ", ".join(f"{k}: {v}" for k, v in r["summary"].items() if not isinstance(v, list | dict))
                    click.echo(f"{r['name']:<32} ok  {summary}")
                else:
                    click.echo(f"{r['name']:<32} FAILED: {r['error']}", err=True)
        if any(not r["ok"] for r in results):
            sys.exit(1)
