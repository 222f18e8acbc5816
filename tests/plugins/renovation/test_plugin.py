"""The plugin as the host sees it: manifest, dependencies, and what it registers (fee items for
billing, screens and API resources)."""

from __future__ import annotations

import pytest

from core.errors import PluginError
from core.testing import boot
from core.web.specs import AdminViewSpec, ApiResourceSpec
from plugins.renovation.models import RenovationApplication


def test_boots_with_only_billing_and_refuses_without_it():
    wuye = boot(["billing", "renovation"])
    assert wuye.order == ["billing", "renovation"]
    assert {"renovation.application", "renovation.violation"} <= set(wuye.registry.workflows)
    assert wuye.manifests["renovation"].chapter == "KF10/KF11"
    with pytest.raises(PluginError, match="billing"):
        boot(["renovation"])


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
