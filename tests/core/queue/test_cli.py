"""``wuye worker|scheduler`` and ``wuye jobs tasks|retry`` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.cli import State, build_cli
from core.models.queue import TaskRun, TaskStatus
from core.queue import testing as qt

from . import worker_tasks


def _invoke(wuye, args):
    state = State(None)
    state._wuye = wuye
    return CliRunner().invoke(build_cli(state), args, obj=state)


def test_worker_and_scheduler_need_a_broker(wuye):
    for command in ("worker", "scheduler"):
        result = _invoke(wuye, [command])
        assert result.exit_code != 0
        assert "no [jobs] broker_url" in str(result.exception), command


def test_failed_tasks_are_listed_and_retried_from_the_cli(committed):
    wuye = committed
    with wuye.session() as s:
        row = TaskRun(name="core.test_noop", module=worker_tasks.__name__, params={"note": "cli"}, attempts=3,
                      status=TaskStatus.failed, error="RuntimeError: SMTP down")
        s.add(row)
        s.flush()
        task_id = row.id
    listed = _invoke(wuye, ["jobs", "tasks", "--failed", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [(r["id"], r["status"], r["error"]) for r in json.loads(listed.output)] == \
        [(task_id, "failed", "RuntimeError: SMTP down")]
    retried = _invoke(wuye, ["jobs", "retry", str(task_id)])
    assert retried.exit_code == 0 and f"task #{task_id} queued again" in retried.output
    with wuye.session() as s:
        assert s.get(TaskRun, task_id).status == TaskStatus.done  # no broker: it ran at once
    assert "no failed tasks" in _invoke(wuye, ["jobs", "tasks", "--failed"]).output
    again = _invoke(wuye, ["jobs", "retry", str(task_id)])
    assert again.exit_code != 0 and "only failed or lost tasks" in str(again.exception)


@pytest.mark.queue
@pytest.mark.skipif(not qt.redis_reachable(), reason=f"Redis is not reachable at {qt.broker_url()}")
def test_the_scheduler_starts_with_every_scheduled_job(tmp_path):
    config = qt.write_config(tmp_path, f"sqlite:///{tmp_path / 'beat.sqlite3'}", [], qt.queue_name())
    env = {**os.environ, "WUYE_CONFIG": str(config)}
    env.pop("WUYE_TEST_PLUGINS", None)
    proc = subprocess.Popen([sys.executable, "-c", "from core.cli import main; main()", "scheduler",
                             "--schedule-file", str(tmp_path / "beat-schedule")],
                            cwd=str(Path(__file__).resolve().parents[3]), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        out, _ = proc.communicate(timeout=8)
    except subprocess.TimeoutExpired:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "schedule core.deliver_notifications: 0:01:00" in out, out[-2000:]  # every minute
    assert "beat: Starting..." in out, out[-2000:]
