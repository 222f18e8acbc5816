"""The plugin boots alone and registers what it contributes."""

from __future__ import annotations

from core.testing import boot
from wuye_visitors.admin import admin_views
from wuye_visitors.api import api_resources
from wuye_visitors.models import MODELS
from wuye_visitors.schemas import VisitSchema


def test_plugin_boots_alone_through_its_entry_point():
    wuye = boot(["visitors"], use_entry_points=True)
    assert wuye.order == ["visitors"]
    assert wuye.manifests["visitors"].source.startswith("entry point")
    assert wuye.registry.table_owner["visitors_visits"] == "visitors"
    assert {"visitors.view", "visitors.register", "visitors.escort_out"} <= set(wuye.registry.permissions)
    assert "visitors.visit" in wuye.registry.workflows
    assert "visitors.flag_overstays" in wuye.registry.jobs
    assert wuye.settings("visitors") == {"overstay_hours": 12}


def test_workflow_labels_are_given_in_both_languages():
    wf = boot(["visitors"], use_entry_points=True).registry.workflows["visitors.visit"]
    for item in [*wf.states, *wf.transitions]:
        assert item.label and item.label_zh, item.name
    assert wf.transition("escort_out").requires_comment and not wf.transition("escort_out").bulk


def test_admin_and_api_specs_name_real_fields():
    fields = VisitSchema().fields
    (view,) = admin_views()
    (resource,) = api_resources()
    assert view.model in MODELS and resource.model in MODELS
    assert set(view.list_columns) <= set(fields)
    columns = set(view.model.__table__.columns.keys())
    assert set(view.filters) <= columns and set(resource.filters) <= columns
    assert view.create_service is resource.create_service
