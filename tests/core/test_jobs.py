"""Scheduled jobs: schedules, due selection, one transaction per job, failures, `wuye jobs` CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.activity import acting_as
from core.cli import State, build_cli
from core.errors import ValidationError
from core.jobs import is_due, last_runs, parse_schedule, run_jobs
from core.models import Estate
from core.models.audit import JobRun
from core.models.workflow import WorkflowDeadline
from core.seed import seed_all
from core.services.staff import create_staff
from core.workflow import apply
from tests.core.workflow_fixture_plugin import WfArrear, WfTicket, wf_instance_fixture, wf_tables_fixture  # noqa: F401

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # 16:00 in Shanghai, on a 5-minute boundary


@pytest.mark.parametrize(("text", "parsed"), [
    ("every 5 minutes", ("minute", 5)), ("every 1 hour", ("hour", 1)), ("Every  15 days", ("day", 15)),
    ("hourly", ("hour", 1)), ("daily", ("day", 1)), ("weekly", ("week", 1)), ("monthly", ("month", 1)),
])
def test_parse_schedule(text, parsed):
    assert parse_schedule(text) == parsed


@pytest.mark.parametrize("bad", ["every 0 minutes", "sometimes", "every five minutes", "", "0 5 * * *"])
def test_unknown_schedules_are_refused(bad):
    with pytest.raises(ValueError, match="unknown schedule"):
        parse_schedule(bad)


def test_is_due():
    m = dt.timedelta(minutes=1)
    assert is_due("every 5 minutes", None, T0)
    assert not is_due("every 5 minutes", T0, T0 + 4 * m)
    assert is_due("every 5 minutes", T0 + 30 * dt.timedelta(seconds=1), T0 + 5 * m)  # cron jitter tolerated
    assert not is_due("hourly", T0, T0 + 59 * m) and is_due("hourly", T0, T0 + 60 * m)
    # daily follows the company's date: 16:00 and 23:59 Shanghai are the same day, 00:01 the next
    assert not is_due("daily", T0, T0 + 7 * 60 * m + 59 * m)
    assert is_due("daily", T0, T0 + 8 * 60 * m + m)
    assert not is_due("every 15 days", T0, T0 + dt.timedelta(days=14)) and is_due("every 15 days", T0, T0 + dt.timedelta(days=15))
    assert not is_due("monthly", T0, T0 + dt.timedelta(days=20)) and is_due("monthly", T0, T0 + dt.timedelta(days=30))
    assert is_due("weekly", T0, T0 + dt.timedelta(days=7)) and not is_due("weekly", T0, T0 + dt.timedelta(days=1))


def test_a_bad_schedule_stops_startup(tmp_path):
    from core.errors import PluginError
    from core.testing import boot
    from tests.core.plugin_factory import PluginTree

    tree = PluginTree(tmp_path)
    tree.add("wfcron", hooks="""
        from core.jobs import Job

        @hookimpl
        def wuye_scheduled_jobs():
            return [Job("wfcron.tick", "*/5 * * * *", lambda session, now: {})]
    """)
    with pytest.raises(PluginError, match=r"plugin 'wfcron': job 'wfcron.tick': unknown schedule '\*/5 \* \* \* \*'"):
        boot(enabled=["wfcron"], search=tree.search)


@pytest.fixture
def live(committed, engine, wf_tables, wf_instance):
    """The fixture instance on the test database with real commits: an estate, staff, roles."""
    wf_instance.use_engine(engine)
    with wf_instance.session() as s:
        seed_all(s, wf_instance)
        s.add(Estate(code="A", name="Estate A"))
        s.flush()
        create_staff(s, "cs", "password123", roles=["cs_specialist"], estates=["A"])
    return wf_instance


def test_the_escalation_job_commits_its_work(live):
    with live.session() as s:
        t = WfTicket(estate_id=s.scalar(select(Estate.id)), title="dripping")
        s.add(t)
    with live.session() as s:
        due = s.scalar(select(WorkflowDeadline.due_at))
    [result] = run_jobs(live, ["core.escalate_overdue"], now=due + dt.timedelta(seconds=1))
    assert result["ok"] and result["summary"]["escalated"] == 1
    with live.session() as s:
        assert s.scalar(select(WorkflowDeadline.escalated_at)) is not None
        run = last_runs(s)["core.escalate_overdue"]
        assert run.ok and run.summary["escalated"] == 1 and run.as_of == due + dt.timedelta(seconds=1)


def test_only_due_jobs_run_and_failures_are_isolated(live):
    first = {r["name"]: r for r in run_jobs(live, now=T0)}
    assert set(first) == {"core.escalate_overdue", "core.deliver_notifications", "wftest.follow_up_arrears",
                          "wftest.broken"}
    assert first["core.escalate_overdue"]["ok"] and first["wftest.follow_up_arrears"]["ok"]
    assert not first["wftest.broken"]["ok"] and "wftest.broken always fails" in first["wftest.broken"]["error"]
    with live.session() as s:
        assert s.scalars(select(WfArrear)).all() == []  # the failing job's insert was rolled back
        failed = s.scalar(select(JobRun).where(JobRun.job == "wftest.broken"))
        assert failed.ok is False and "RuntimeError" in failed.error
    soon = {r["name"]: r for r in run_jobs(live, now=T0 + dt.timedelta(minutes=2))}
    assert soon["core.escalate_overdue"].get("skipped") and soon["wftest.follow_up_arrears"].get("skipped")
    assert not soon["wftest.broken"].get("skipped")  # a failed job stays due
    later = {r["name"]: r for r in run_jobs(live, now=T0 + dt.timedelta(minutes=5))}
    assert not later["core.escalate_overdue"].get("skipped") and later["wftest.follow_up_arrears"].get("skipped")
    forced = run_jobs(live, now=T0 + dt.timedelta(minutes=6), force=True)
    assert not any(r.get("skipped") for r in forced)


def test_unknown_job_names_are_an_error(live):
    with pytest.raises(ValidationError, match=r"unknown job\(s\) nope.job; known jobs: core.deliver_notifications, core.escalate_overdue"):
        run_jobs(live, ["core.escalate_overdue", "nope.job"])
    with live.session() as s:
        assert s.scalars(select(JobRun)).all() == []  # nothing ran


def test_arrears_are_followed_up_every_15_days(live):
    with live.session() as s:
        s.add(WfArrear(estate_id=s.scalar(select(Estate.id)), debtor="3-1201", amount_fen=128_000))
    day = dt.timedelta(days=1)
    counts = [run_jobs(live, ["wftest.follow_up_arrears"], now=T0 + n * day)[0]["summary"]["followed_up"]
              for n in (0, 1, 14, 15, 29, 30)]
    assert counts == [1, 0, 0, 1, 0, 1]
    with live.session() as s:
        assert s.scalar(select(WfArrear.follow_ups)) == 3


def test_apply_is_atomic_with_the_callers_transaction(live):
    # On SQLite the savepoint apply() takes must not commit the caller's transaction early.
    with live.session() as s:
        t = WfTicket(estate_id=s.scalar(select(Estate.id)), title="atomic")
        s.add(t)
    with pytest.raises(RuntimeError, match="caller failed"), live.session() as s:
        from core.models import StaffUser

        cs = s.scalar(select(StaffUser).where(StaffUser.username == "cs"))
        ticket = s.get(WfTicket, t.id)
        with acting_as(s, cs):
            apply(s, ticket, "dispatch", cs)
        raise RuntimeError("caller failed after apply")
    with live.session() as s:
        assert s.get(WfTicket, t.id).status == "new"


# --- CLI ------------------------------------------------------------------------------------

def invoke(wuye, *args):
    state = State(None)
    state._wuye = wuye
    return CliRunner().invoke(build_cli(state), list(args), obj=state)


def test_cli_jobs_list(live):
    result = invoke(live, "jobs", "list", "--json")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.output)}
    assert rows["core.escalate_overdue"] == {"name": "core.escalate_overdue", "plugin": "core",
                                             "schedule": "every 5 minutes", "last_run": None, "last_ok": None,
                                             "description": rows["core.escalate_overdue"]["description"]}
    assert rows["wftest.follow_up_arrears"]["plugin"] == "wftest"
    text = invoke(live, "jobs", "list")
    assert "core.escalate_overdue" in text.output and "never run" in text.output


def test_cli_jobs_run_named_with_now(live):
    result = invoke(live, "jobs", "run", "core.escalate_overdue", "--json", "--now", "2026-03-02T16:00")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert row["name"] == "core.escalate_overdue" and row["ok"] and row["summary"]["escalated"] == 0 and row["summary"]["items"] == []
    with live.session() as s:
        assert last_runs(s)["core.escalate_overdue"].as_of == T0  # 16:00 Shanghai is 08:00 UTC
    plain = invoke(live, "jobs", "run", "core.escalate_overdue")
    assert plain.exit_code == 0 and "core.escalate_overdue" in plain.output and "escalated: 0" in plain.output


def test_cli_jobs_run_errors(live):
    unknown = invoke(live, "jobs", "run", "nope.job")
    assert unknown.exit_code == 1
    assert "unknown job(s) nope.job" in unknown.output or "unknown job(s) nope.job" in str(unknown.exception)
    failing = invoke(live, "jobs", "run", "wftest.broken")
    assert failing.exit_code == 1 and "FAILED" in failing.output
    bad_now = invoke(live, "jobs", "run", "--now", "yesterday")
    assert bad_now.exit_code == 2 and "not an ISO date-time" in bad_now.output
