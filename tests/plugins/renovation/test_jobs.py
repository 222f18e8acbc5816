"""The daily job ``renovation.manager_inspections``: units with fewer than two manager patrols on the
estate's day (Asia/Shanghai) are flagged once, and unflagged when late patrols arrive."""

from __future__ import annotations

import datetime as dt

from core.jobs import Job
from plugins.renovation import services
from plugins.renovation.jobs import run_manager_inspections
from plugins.renovation.models import RenovationInspectionShortfall
from tests.plugins.renovation.conftest import at_local


def test_daily_job_flags_units_with_fewer_than_two_manager_patrols(reno, wuye):
    s = reno.session
    a = reno.drive(reno.apply(reno.units[0]), "in_progress")
    b = reno.drive(reno.apply(reno.units[2]), "in_progress")
    day = reno.today - dt.timedelta(days=1)
    for app in (a, b):
        app.started_at = at_local(day - dt.timedelta(days=3), 9)
    mgr = reno.actors["office_manager"]
    # a: two patrols that local day (one at 00:30 local, i.e. the previous UTC day); b: only one
    services.record_inspection(s, mgr, a, kind="manager", at=at_local(day, 0, 30))
    services.record_inspection(s, mgr, a, kind="manager", at=at_local(day, 16))
    services.record_inspection(s, mgr, b, kind="manager", at=at_local(day, 10))
    services.record_inspection(s, mgr, b, kind="manager", at=at_local(day - dt.timedelta(days=1), 23, 30))
    services.record_inspection(s, reno.actors["cs_specialist"], b, kind="cs", at=at_local(day, 11))
    now = at_local(reno.today, 0, 5)
    summary = run_manager_inspections(s, now)
    assert summary["applications"] == [f"{reno.estate.code} {b.number}"]
    flags = s.query(RenovationInspectionShortfall).all()
    assert [(f.application_id, f.day, f.manager_inspections, f.required) for f in flags] == [(b.id, day, 1, 2)]
    run_manager_inspections(s, now)  # again: no duplicate
    assert s.query(RenovationInspectionShortfall).count() == 1
    services.record_inspection(s, mgr, b, kind="manager", at=at_local(day, 18))  # logged late
    assert run_manager_inspections(s, now)["flagged"] == 0
    assert s.query(RenovationInspectionShortfall).count() == 0
    job = wuye.registry.jobs["renovation.manager_inspections"]
    assert isinstance(job, Job) and job.schedule == "daily" and job.func is run_manager_inspections
