"""What the plugin contributes: permissions, roles' grants, workflows, fee items, admin/API specs, demo data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.security.grants import has_permission
from core.testing import boot
from core.web.specs import AdminViewSpec, ApiResourceSpec
from plugins.billing import services as billing
from plugins.convenience import services
from plugins.convenience.models import (
    CatalogueStatus,
    ConvenienceAgreement,
    ConvenienceCatalogueVersion,
    ConvenienceItem,
    ConvenienceOrder,
    FeeKind,
    OrderStatus,
)

PERMISSIONS = {"convenience.view", "convenience.manage_catalogue", "convenience.propose_catalogue",
               "convenience.approve_catalogue", "convenience.order", "convenience.dispatch", "convenience.deliver",
               "convenience.confirm", "convenience.return_visit", "convenience.statements", "convenience.reports"}


def test_boots_with_only_billing():
    wuye = boot(["billing", "convenience"])
    assert wuye.order.index("billing") < wuye.order.index("convenience")
    assert {"convenience.catalogue", "convenience.order"} <= set(wuye.registry.workflows)
    assert PERMISSIONS <= set(wuye.registry.permissions)
    assert "convenience.yearly_review" in wuye.registry.jobs


def test_default_grants(conv):
    s = conv.session
    assert has_permission(s, conv.gm, "convenience.approve_catalogue")
    assert not has_permission(s, conv.manager, "convenience.approve_catalogue")
    assert has_permission(s, conv.manager, "convenience.propose_catalogue")
    assert has_permission(s, conv.staff, "convenience.deliver") and not has_permission(s, conv.staff,
                                                                                          "convenience.dispatch")
    assert has_permission(s, conv.cashier, "convenience.statements")
    assert has_permission(s, conv.sup, "convenience.dispatch")


def test_fee_items_are_seeded_into_billing(seeded):
    item = billing.get_fee_item(seeded, "CONV_SERVICE")
    assert item.active and item.category == "convenience"
    assert billing.get_fee_item(seeded, "CONV_PREPAY").active


def test_admin_and_api_specs(wuye):
    from plugins.convenience import hooks

    admin, api = hooks.wuye_admin_views(), hooks.wuye_api_resources()
    assert {v.name for v in admin} >= {"convenience_items", "convenience_orders", "convenience_statements"}
    assert all(isinstance(v, AdminViewSpec) for v in admin) and all(isinstance(r, ApiResourceSpec) for r in api)
    by_model = {v.model: v for v in admin}
    assert by_model[ConvenienceOrder].workflow == "convenience.order"
    assert by_model[ConvenienceCatalogueVersion].workflow == "convenience.catalogue"
    for spec in admin + api:
        assert spec.view_permission in PERMISSIONS
        assert spec.edit_permission is None or spec.edit_permission in PERMISSIONS
        for column in getattr(spec, "list_columns", ()):
            assert column in spec.model.__table__.c, (spec.name, column)


@pytest.mark.parametrize("via_api", [False, True])
def test_create_services_accept_already_loaded_data(published, via_api):
    """The web layer loads the schema before calling the create service: loading twice must work."""
    from plugins.convenience.api import api_resources
    from plugins.convenience.schemas import OrderSchema

    s, ns = published.session, published
    raw = {"unit_id": ns.units[0].id, "customer_id": ns.owners[0].id, "item_id": ns.items["P-CLEAN"].id,
           "quantity": "1.5", "requested_for": "2030-05-01T09:00:00+08:00"}
    spec = next(r for r in api_resources() if r.model is ConvenienceOrder)
    data = OrderSchema().load(raw)
    order = (spec.create_service if via_api else services.create_order)(s, ns.cs, data)
    assert order.amount_fen == 5325 and order.requested_for.year == 2030
    assert order.channel.value == ("api" if via_api else "phone")


def test_demo_data(seeded, make_staff):
    import random

    from core.demo import build_estate
    from plugins.convenience.data.demo import build_demo

    s = seeded
    estate = build_estate(s, {"code": "DM", "name": "演示花园", "kind": "residential", "address": "",
                              "management_office": "", "office_phone": "", "buildings": 1, "floors": 8,
                              "entrances": 1, "per_floor": 4}, random.Random(7))
    for role in ("office_manager", "cs_supervisor", "cs_specialist", "household_service_staff", "cashier"):
        make_staff(role, estates=[estate])
    make_staff("general_manager")
    build_demo(s, estate)
    version = s.scalar(select(ConvenienceCatalogueVersion).where(
        ConvenienceCatalogueVersion.estate_id == estate.id,
        ConvenienceCatalogueVersion.status == CatalogueStatus.published))
    assert version is not None and len(version.prices) >= 15
    kinds = set(s.scalars(select(ConvenienceItem.fee_kind).where(ConvenienceItem.estate_id == estate.id)))
    assert kinds == {FeeKind.free, FeeKind.paid}
    states = set(s.scalars(select(ConvenienceOrder.status).where(ConvenienceOrder.estate_id == estate.id)))
    assert states == set(OrderStatus)
    assert s.scalar(select(func.count(ConvenienceAgreement.id)).where(ConvenienceAgreement.estate_id == estate.id)) == 1


def test_demo_hook_is_registered(wuye):
    assert "convenience" in {impl.plugin_name for impl in wuye.pm.hook.wuye_demo_data.get_hookimpls()}


def test_settings_are_validated():
    from core.errors import PluginError

    wuye = boot(["billing", "convenience"], plugin_settings={"convenience": {"default_billing_mode": "monthly"}})
    assert wuye.settings("convenience") == {"default_billing_mode": "monthly", "review_month": 1}
    with pytest.raises(PluginError, match="review_mnth"):
        boot(["billing", "convenience"], plugin_settings={"convenience": {"review_mnth": 2}})
    with pytest.raises(PluginError, match="default_billing_mode"):
        boot(["billing", "convenience"], plugin_settings={"convenience": {"default_billing_mode": "weekly"}})


def test_default_billing_mode_comes_from_settings(published, wuye, monkeypatch):
    from .helpers import book

    monkeypatch.setitem(wuye.registry.plugin_settings, "convenience", {"default_billing_mode": "monthly"})
    order = services.create_order(published.session, published.cs, {
        "unit_id": published.units[0].id, "customer_id": published.owners[0].id,
        "item_id": published.items["P-DRAIN"].id})
    assert order.billing_mode.value == "monthly"
    assert book(published, "P-DRAIN", mode="per_job").billing_mode.value == "per_job"
