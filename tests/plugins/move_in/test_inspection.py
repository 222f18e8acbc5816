"""The joint inspection's defect list: a repair order when repairs is enabled, a developer warranty
item or a listed defect otherwise; rectification and re-inspection."""

from __future__ import annotations

import datetime as dt

import pytest

from core import Conflict, ValidationError
from core.models.intake import Intake
from plugins.move_in import services


def test_an_engineering_defect_becomes_a_repair_order(mi):
    from plugins.repairs.models import RepairOrder

    case = mi.to_state(mi.notice(), "confirm_fees")
    defect = services.record_defect(mi.session, mi.clerk, case_id=case.id, location="卫生间", description="地漏堵塞")
    order = mi.session.get(RepairOrder, defect.repair_order_id)
    assert order is not None and order.unit_id == case.unit_id and order.number == defect.repair_number
    assert "地漏堵塞" in order.description and "卫生间" in order.description
    intake = mi.session.get(Intake, order.intake_id)
    assert int(intake.routed_id) == order.id and intake.routed_table == "repairs_orders"


def test_developer_warranty_items_stay_on_the_list(mi):
    case = mi.to_state(mi.notice(), "confirm_fees")
    defect = services.record_defect(mi.session, mi.clerk, case_id=case.id, description="外墙渗水",
                                    responsible="developer")
    assert defect.repair_order_id is None and defect.state == "open" and defect.due_on == dt.date(2026, 3, 17)


def test_without_repairs_the_defect_stays_on_the_list(mi, monkeypatch):
    wuye = mi.session.info["wuye"]
    monkeypatch.setattr(wuye, "is_enabled", lambda name: name != "repairs")
    case = mi.to_state(mi.notice(), "confirm_fees")
    defect = services.record_defect(mi.session, mi.clerk, case_id=case.id, description="门锁卡滞")
    assert defect.repair_order_id is None and defect.repair_number == ""


def test_rectify_and_reinspect(mi):
    case = mi.to_state(mi.notice(), "confirm_fees")
    defect = services.record_defect(mi.session, mi.clerk, case_id=case.id, description="墙面裂缝",
                                    responsible="developer")
    with pytest.raises(Conflict):
        services.reinspect(mi.session, mi.clerk, defect, passed=True)
    services.report_rectified(mi.session, mi.clerk, defect)
    services.reinspect(mi.session, mi.clerk, defect, passed=False, note="仍有裂缝")
    assert defect.state == "failed" and services.open_defects(case) == [defect]
    services.report_rectified(mi.session, mi.clerk, defect)
    services.reinspect(mi.session, mi.clerk, defect, passed=True)
    assert defect.state == "accepted" and services.open_defects(case) == []


def test_defect_refusals(mi):
    case = mi.notice()
    with pytest.raises(Conflict) as err:  # the inspection comes after the fees
        services.record_defect(mi.session, mi.clerk, case_id=case.id, description="x")
    assert err.value.field == "case_id"
    mi.to_state(case, "confirm_fees")
    with pytest.raises(ValidationError) as err:
        services.record_defect(mi.session, mi.clerk, case_id=case.id, description="")
    assert err.value.field == "description"
    with pytest.raises(ValidationError) as err:
        services.record_defect(mi.session, mi.clerk, case_id=case.id, description="x", responsible="owner")
    assert err.value.field == "responsible"
    assert case.defects == []
