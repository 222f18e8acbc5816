"""The plugin as the host sees it: manifest, dependencies, config, registrations, reference data,
screens, API and demo data."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import PluginError
from core.models import Party, RelationKind, Unit
from core.services.units import add_relation
from core.testing import boot
from core.web.specs import AdminViewSpec, ApiResourceSpec
from plugins.renovation import rules
from plugins.renovation.demo import build_demo
from plugins.renovation.models import RenovationApplication
from plugins.renovation.settings import DEFAULTS, Settings, parse_work_hours


def test_boots_with_only_billing_and_refuses_without_it():
    wuye = boot(["billing", "renovation"])
    assert wuye.order == ["billing", "renovation"]
    assert {"renovation.application", "renovation.violation"} <= set(wuye.registry.workflows)
    assert wuye.manifests["renovation"].chapter == "KF10/KF11"
    with pytest.raises(PluginError, match="billing"):
        boot(["renovation"])


def test_config_defaults_and_validation():
    assert (DEFAULTS["deposit_fen"], DEFAULTS["waste_fee_fen"], DEFAULTS["pass_fee_fen"]) == (200000, 30000, 1000)
    assert parse_work_hours(DEFAULTS["work_hours"]) == [(dt.time(8), dt.time(12)), (dt.time(14), dt.time(18))]
    wuye = boot(["billing", "renovation"], plugin_settings={"renovation": {
        "deposit_fen": 300000, "work_hours": "08:30-12:00", "estate_work_hours": {"CH": "09:00-17:00"}}})
    assert wuye.settings("renovation")["deposit_fen"] == 300000
    assert wuye.settings("renovation")["pass_fee_fen"] == 1000
    with pytest.raises(PluginError) as err:
        boot(["billing", "renovation"], plugin_settings={"renovation": {
            "work_hours": "8 to 12", "deposit_fen": -1, "deposit": 5}})
    text = str(err.value)
    assert "'work_hours'" in text and "'deposit_fen'" in text and "'deposit'" in text
    errors = Settings().validate({"estate_work_hours": {"CH": "18:00-08:00"}})
    assert "estate_work_hours" in errors


def test_the_fourteen_prohibited_acts_and_the_rules():
    acts = rules.prohibited_acts()
    assert [a["code"] for a in acts] == [f"P{i:02d}" for i in range(1, 15)]
    assert acts[0]["name_zh"] == "搭建建筑物、构筑物"
    assert acts[13]["name_zh"] == "其他影响建筑结构安全、使用安全,以及影响建筑外貌的行为"
    assert len(rules.undertakings()) == 4
    technical = {r["key"]: r["code"] for r in rules.technical_rules()}
    assert {"electrical_load", "closed_water_test", "slab_drilling", "work_hours"} <= set(technical)
    scope = {i["code"] for i in rules.scope_items()}
    assert {"wall_changes", "waterproofing", "electrical", "gas", "ac_units", "burglar_windows", "plumbing",
            "flooring", "ceiling"} <= scope


def test_fee_items_are_contributed_to_billing(wuye, seeded):
    from plugins.billing import services as billing

    defs = [d for found in wuye.hook.wuye_billing_fee_items() for d in found]
    reno_defs = {d.code: d for d in defs if d.category == "renovation"}
    assert set(reno_defs) >= {"RENO_WASTE", "RENO_PASS"}
    assert billing.get_fee_item(seeded, "RENO_WASTE").name_zh == "装修垃圾清运费"


def test_screens_and_api_resources(wuye):
    views = [v for found in wuye.hook.wuye_admin_views() for v in found if v.name.startswith("renovation_")]
    assert all(isinstance(v, AdminViewSpec) for v in views)
    apps = next(v for v in views if v.model is RenovationApplication)
    assert apps.workflow == "renovation.application" and apps.create_service is not None
    resources = [r for found in wuye.hook.wuye_api_resources() for r in found
                 if isinstance(r, ApiResourceSpec) and r.path.startswith("renovation/")]
    assert {r.path for r in resources} >= {"renovation/applications", "renovation/violations",
                                           "renovation/inspections", "renovation/passes"}
    for spec in views + resources:
        for perm in (spec.view_permission, spec.edit_permission):
            assert perm is None or perm in wuye.registry.permissions


def test_api_create_service_goes_through_the_services(reno):
    from plugins.renovation.api import create_application
    from plugins.renovation.schemas import ApplicationSchema

    data = ApplicationSchema().load({
        "unit_id": reno.units[3].id, "applicant_id": reno.owner.id, "scope": ["ceiling"],
        "planned_start": str(reno.today), "planned_end": str(reno.today + dt.timedelta(days=20)),
        "self_renovation": True, "worker_guarantee_ref": "担保书 9",
        "workers": [{"name": "郑师傅", "id_number": "320102197001010099"}]})
    app = create_application(reno.session, reno.actors["cs_specialist"], data)
    assert app.status == "submitted" and [w.name for w in app.workers] == ["郑师傅"]
    dumped = ApplicationSchema().dump(app)
    assert dumped["number"] == app.number and dumped["planned_end"] == str(reno.today + dt.timedelta(days=20))


def test_demo_data_builds_applications_in_several_states(reno, wuye_all):
    s = reno.session
    # the demo wants five owned units; the fixture estate has four, so add one more
    unit = Unit(estate_id=reno.estate.id, building_id=reno.units[0].building_id, floor=9, room_no="901",
                status="occupied")
    s.add(unit)
    s.flush()
    owner = Party(name="陈静")
    s.add(owner)
    s.flush()
    add_relation(s, unit, owner, RelationKind.owner, start_on=dt.date(2024, 1, 1))
    # wuye_demo_data calls build_demo for each estate; here directly, for this estate only
    result = build_demo(s, reno.estate)
    apps = {a.status for a in s.query(RenovationApplication).filter_by(estate_id=reno.estate.id)}
    assert len(result["applications"]) == 5
    assert {"submitted", "engineering_review", "revision_requested", "in_progress", "closed"} == apps
    assert any(i.plugin_name == "renovation" for i in wuye_all.pm.hook.wuye_demo_data.get_hookimpls())
