"""The site: worker passes at the gate and patrols against the technical rules (in the estate's time
zone, Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import Conflict
from plugins.billing import services as billing
from plugins.renovation import services
from plugins.renovation.settings import DEFAULTS
from plugins.renovation.site import technical_findings, worker_source
from tests.plugins.renovation.conftest import at_local


def test_valid_passes_at_the_gate(reno):
    s = reno.session
    app = reno.drive(reno.apply(), "permit_issued")
    gate = services.valid_passes(s, reno.estate)
    assert sorted(p.id_number for p in gate) == sorted(w.id_number for w in app.workers)
    last_day = at_local(app.planned_end, 17)
    day_after = at_local(app.planned_end + dt.timedelta(days=1), 8)
    assert len(services.valid_passes(s, reno.estate, on=last_day)) == 2
    assert services.valid_passes(s, reno.estate, on=day_after) == []
    services.return_pass(s, reno.actors["cs_specialist"], gate[0])
    assert [p.id for p in services.valid_passes(s, reno.estate)] == [gate[1].id]
    with pytest.raises(Conflict):
        services.return_pass(s, reno.actors["cs_specialist"], gate[0])


def test_a_worker_added_later_pays_for_the_pass_before_getting_it(reno):
    s = reno.session
    app = reno.drive(reno.apply(), "in_progress")
    w = services.add_worker(s, reno.actors["cs_specialist"], app, name="吴木工", id_number="320102198807070077",
                            trade="carpenter")
    source = worker_source(w)
    assert billing.outstanding_fen(s, source=source) == 1000
    with pytest.raises(Conflict, match="unpaid"):
        services.issue_pass(s, reno.actors["cs_specialist"], w)
    line = billing.charges_for(s, source=source)[0]
    billing.record_payment(s, reno.actors["cashier"], unit=app.unit, amount_fen=1000, method="cash", lines=[line.id])
    p = services.issue_pass(s, reno.actors["cs_specialist"], w)
    assert p.expires_on == app.planned_end and p.id_number == "320102198807070077"
    with pytest.raises(Conflict, match=p.number):  # one person, one pass
        services.issue_pass(s, reno.actors["cs_specialist"], w)
    with pytest.raises(Conflict):  # the same ID twice on one application
        services.add_worker(s, reno.actors["cs_specialist"], app, name="吴木工", id_number="320102198807070077")


def test_technical_rules_turn_measurements_into_findings(reno):
    day = dt.date(2026, 5, 12)
    codes = lambda **kw: [f["code"] for f in technical_findings(DEFAULTS, reno.estate, at_local(day, 10), **kw)]  # noqa: E731
    assert codes(load_w=4000, closed_water_test_hours=24, slab_drilling=False, works_observed=True,
                 fire_extinguisher=True) == []
    assert codes(load_w=4001) == ["T01"]  # above the 4 kW household load
    assert codes(closed_water_test_hours=12) == ["T02"]  # tiling before a 24-hour closed-water test
    assert codes(slab_drilling=True) == ["T03"]
    assert codes(fire_extinguisher=False) == ["T10"]
    lunch = technical_findings(DEFAULTS, reno.estate, at_local(day, 12, 30), works_observed=True)
    assert [f["code"] for f in lunch] == ["T04"] and "12:30" in lunch[0]["note"]
    # per-estate hours from the config
    custom = {**DEFAULTS, "estate_work_hours": {reno.estate.code: "12:00-13:00"}}
    assert technical_findings(custom, reno.estate, at_local(day, 12, 30), works_observed=True) == []
    assert services.within_work_hours(DEFAULTS, reno.estate, dt.datetime(2026, 5, 12, 2, 30, tzinfo=dt.UTC))
    assert not services.within_work_hours(DEFAULTS, reno.estate, dt.datetime(2026, 5, 12, 11, 0, tzinfo=dt.UTC))


def test_a_patrol_records_its_findings(reno):
    s = reno.session
    app = reno.drive(reno.apply(), "in_progress")
    when = at_local(reno.today - dt.timedelta(days=1), 13)
    insp = services.record_inspection(s, reno.actors["security_manager"], app, kind="security", at=when,
                                      findings=[{"code": "P11", "note": "材料堆放占用公共走道"}],
                                      works_observed=True, load_w=5200)
    assert [f["code"] for f in insp.findings] == ["P11", "T01", "T04"] and not insp.all_clear
    clean = services.record_inspection(s, reno.actors["office_manager"], app, kind="manager",
                                       fire_extinguisher=True)
    assert clean.all_clear and clean.kind == "manager"
