"""The plugin boots with only billing and registers its models, permissions, workflows, jobs and screens."""

from __future__ import annotations

from core import AdminViewSpec, ApiResourceSpec
from core.testing import boot
from plugins.convenience import hooks
from plugins.convenience.models import MODELS, ConvenienceCatalogueVersion, ConvenienceOrder

from .test_permissions import NAMES as PERMISSIONS


def test_boots_with_only_billing():
    wuye = boot(["billing", "convenience"])
    assert wuye.order.index("billing") < wuye.order.index("convenience")
    assert {"convenience.catalogue", "convenience.order"} <= set(wuye.registry.workflows)
    assert PERMISSIONS <= set(wuye.registry.permissions)
    assert "convenience.yearly_review" in wuye.registry.jobs


def test_models_lists_every_registered_class(wuye):
    assert list(MODELS) == hooks.wuye_register_models()
    owned = {table for table, owner in wuye.registry.table_owner.items() if owner == "convenience"}
    assert owned == {m.__tablename__ for m in MODELS}


def test_admin_and_api_specs(wuye):
    admin, api = hooks.wuye_admin_views(), hooks.wuye_api_resources()
    assert {v.name for v in admin} >= {"convenience_items", "convenience_orders", "convenience_statements"}
    assert all(isinstance(v, AdminViewSpec) for v in admin)
    # resources, plus the blueprint of the statements' post (POST /api/v1/convenience/statements/<id>/post)
    assert [type(r).__name__ for r in api if not isinstance(r, ApiResourceSpec)] == ["Blueprint"]
    by_model = {v.model: v for v in admin}
    assert by_model[ConvenienceOrder].workflow == "convenience.order"
    assert by_model[ConvenienceCatalogueVersion].workflow == "convenience.catalogue"
    for spec in admin + [r for r in api if isinstance(r, ApiResourceSpec)]:
        assert spec.view_permission in PERMISSIONS
        assert spec.edit_permission is None or spec.edit_permission in PERMISSIONS
        for column in getattr(spec, "list_columns", ()):
            assert column in spec.model.__table__.c, (spec.name, column)


def test_demo_hook_is_registered(wuye):
    assert "convenience" in {impl.plugin_name for impl in wuye.pm.hook.wuye_demo_data.get_hookimpls()}
