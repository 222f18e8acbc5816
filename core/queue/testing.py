"""Helpers for tests that run real Celery workers (pytest marker ``queue``): Redis, a database of
their own, and worker processes that can be killed.

The workers are other processes, so the transactional test fixtures cannot be used: each test gets
a database of its own (an SQLite file, or on PostgreSQL the separate database ``wuye_queue_test``,
dropped and recreated, never the shared test schema), a Redis database number of its own
(:data:`REDIS_DB`) and a queue name of its own, so parallel runs do not collide.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

REDIS_URL = os.environ.get("WUYE_TEST_REDIS_URL", "redis://127.0.0.1:6379")
REDIS_DB = 11  # the queue tests' own Redis database
QUEUE_PG_DB = "wuye_queue_test"


def redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(f"{REDIS_URL}/{REDIS_DB}", socket_connect_timeout=1).ping())
    except Exception:
        return False


def broker_url() -> str:
    return f"{REDIS_URL}/{REDIS_DB}"


def queue_name() -> str:
    return f"wuye-test-{uuid.uuid4().hex[:12]}"


def backends() -> list[str]:
    """The databases the worker tests run on: SQLite always, PostgreSQL when ``WUYE_TEST_DATABASE_URL``
    is set (as every database test of the suite)."""
    return ["sqlite"] + (["postgresql"] if os.environ.get("WUYE_TEST_DATABASE_URL") else [])


def fresh_database(tmp_path: Path, backend: str = "sqlite") -> str:
    """The URL of an empty database for a worker test: an SQLite file, or (``backend="postgresql"``)
    the separate PostgreSQL database ``wuye_queue_test``, recreated, on ``WUYE_TEST_DATABASE_URL``'s server."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from core.db import make_engine

    PG_ENV = "WUYE_TEST_DATABASE_URL"  # core.testing's, not imported: tests helpers sit below the test kit

    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    base = make_url(os.environ[PG_ENV])
    admin = make_engine(base.set(database="postgres").render_as_string(hide_password=False),
                        isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{QUEUE_PG_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{QUEUE_PG_DB}"'))
    admin.dispose()
    return base.set(database=QUEUE_PG_DB).render_as_string(hide_password=False)


def write_config(tmp_path: Path, database_url: str, enabled: list[str], queue: str, **jobs) -> Path:
    """A wuye.toml for the workers: the test's database, plugins, broker and queue."""
    lines = ["[core]", f"database_url = {database_url!r}".replace("'", '"'), "",
             "[plugins]", "enabled = [" + ", ".join(f'"{n}"' for n in enabled) + "]", "",
             "[jobs]", f'broker_url = "{broker_url()}"', f'queue = "{queue}"']
    lines += [f"{k} = {v!r}" if not isinstance(v, str) else f'{k} = "{v}"' for k, v in jobs.items()]
    path = tmp_path / "wuye.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Worker:
    """``wuye worker --pool solo`` in a process of its own (its own session, so it can be killed whole)."""

    def __init__(self, config: Path, name: str, log: Path):
        self.log = open(log, "ab")  # noqa: SIM115  (kept open for the process's lifetime)
        env = {**os.environ, "WUYE_CONFIG": str(config)}
        env.pop("WUYE_TEST_PLUGINS", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from core.cli import main; main()", "worker", "--pool", "solo",
             "--loglevel", "INFO", "--hostname", f"{name}@%h"],
            cwd=str(Path(__file__).resolve().parents[2]), env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def kill(self) -> None:
        """SIGKILL: the worker dies at once, mid-task, acknowledging nothing."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def wait_for(predicate, timeout: float, what: str, step: float = 0.2):
    """Poll ``predicate`` until it returns something true; AssertionError naming ``what`` after ``timeout``."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def drop_queue(queue: str) -> None:
    """Remove the test queue's messages left in Redis (e.g. by a killed worker)."""
    try:
        import redis

        redis.Redis.from_url(broker_url()).delete(queue)
    except Exception:
        pass


def queue_length(queue: str) -> int:
    """Messages waiting in the test queue (a worker's message in flight is not counted)."""
    import redis

    return int(redis.Redis.from_url(broker_url()).llen(queue))


def wait_ready(worker: Worker, log: Path, timeout: float = 60) -> None:
    """Wait until the worker logged that it is ready to take tasks."""
    def ready():
        if worker.proc.poll() is not None:
            raise AssertionError(f"the worker exited ({worker.proc.returncode}); see {log}")
        return log.exists() and " ready." in log.read_text(encoding="utf-8", errors="replace")

    wait_for(ready, timeout, f"the worker to be ready (log: {log})")
