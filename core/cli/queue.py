"""``wuye worker``, ``wuye scheduler`` and ``wuye jobs tasks|retry``: the task queue (docs/jobs.md)."""

from __future__ import annotations

import click

from core.cli import echo_json, pass_state
from core.errors import ConfigError


def _need_broker(wuye) -> None:
    from core.queue import queue_enabled

    if not queue_enabled(wuye):
        raise ConfigError(f"{wuye.config.source}: no [jobs] broker_url: set e.g. broker_url = "
                          "\"redis://127.0.0.1:6379/0\" to run workers (without it tasks run in-process)")


def _load_task_modules(wuye) -> None:
    # Tasks a worker may get are declared by modules it imports on first use (TaskRun.module); the
    # enabled plugins' own `tasks` modules are imported up front so `--help`-like listings know them.
    import importlib

    import core.queue  # noqa: F401  (core's tasks)

    for name in wuye.order:
        try:
            importlib.import_module(f"plugins.{name}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"plugins.{name}.tasks":
                raise


def register(cli: click.Group) -> None:
    @cli.command("worker")
    @click.option("-c", "--concurrency", type=click.IntRange(1, 256), default=None,
                  help="Worker processes (default: one per CPU).")
    @click.option("--pool", type=click.Choice(["prefork", "solo", "threads"]), default="prefork", show_default=True,
                  help="solo: one task at a time in this process (tests, debugging).")
    @click.option("--loglevel", default="INFO", show_default=True)
    @click.option("--hostname", "-n", default=None, help="Node name (default: wuye@<host>).")
    @pass_state
    def worker(state, concurrency, pool, loglevel, hostname):
        """Run a Celery worker on the [jobs] queue: billing chunks, notifications, batch printing."""
        from core.queue.celery_app import app_for

        wuye = state.wuye
        _need_broker(wuye)
        _load_task_modules(wuye)
        argv = ["worker", f"--loglevel={loglevel}", f"--pool={pool}", "--without-gossip", "--without-mingle"]
        if concurrency:
            argv.append(f"--concurrency={concurrency}")
        if hostname:
            argv.append(f"--hostname={hostname}")
        app_for(wuye).worker_main(argv)

    @cli.command("scheduler")
    @click.option("--loglevel", default="INFO", show_default=True)
    @click.option("--schedule-file", default="celerybeat-schedule", show_default=True, metavar="FILE",
                  help="Where beat keeps the time of each job's last send.")
    @pass_state
    def scheduler(state, loglevel, schedule_file):
        """Run Celery beat: queue each scheduled job (`wuye jobs list`) on its schedule. Run exactly one."""
        from core.queue.celery_app import app_for

        wuye = state.wuye
        _need_broker(wuye)
        app = app_for(wuye)
        for name, entry in sorted(app.conf.beat_schedule.items()):
            click.echo(f"schedule {name}: {entry['schedule']}")
        app.start(["beat", f"--loglevel={loglevel}", f"--schedule={schedule_file}"])

    jobs = cli.commands["jobs"]

    @jobs.command("tasks")
    @click.option("--failed", is_flag=True, help="Only the failed list (dead letters).")
    @click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
    @click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
    @pass_state
    def tasks(state, failed, limit, as_json):
        """The latest queued tasks (or only the failed ones), newest first."""
        from sqlalchemy import select

        from core.models.queue import TaskRun, TaskStatus

        with state.wuye.session() as s:
            q = select(TaskRun).order_by(TaskRun.id.desc()).limit(limit)
            if failed:
                q = q.where(TaskRun.status == TaskStatus.failed)
            rows = [{"id": r.id, "name": r.name, "status": r.status.value, "attempts": r.attempts,
                     "params": r.params, "error": r.error, "created_at": r.created_at.isoformat()}
                    for r in s.scalars(q)]
        if as_json:
            echo_json(rows)
            return
        if not rows:
            click.echo("no failed tasks" if failed else "no tasks")
        for r in rows:
            error = r["error"].splitlines()[0][:80] if r["error"] else ""
            click.echo(f"#{r['id']:<7} {r['name']:<30} {r['status']:<8} {r['attempts']} attempt(s) {error}")

    @jobs.command("retry")
    @click.argument("task_ids", nargs=-1, type=int, required=True, metavar="TASK_ID...")
    @pass_state
    def retry(state, task_ids):
        """Queue failed tasks again, their attempts reset (see `wuye jobs tasks --failed`)."""
        from core.queue import retry_task

        for task_id in task_ids:
            retry_task(state.wuye, task_id)
            click.echo(f"task #{task_id} queued again")
