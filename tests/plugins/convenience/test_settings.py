"""The ``[plugins.convenience]`` section: validated at startup, read by the services."""

from __future__ import annotations

import pytest

from core.testing import boot
from plugins.convenience import services
from plugins.convenience.settings import DEFAULTS, Settings

from .steps import book


def test_defaults():
    assert DEFAULTS == Settings().load({}) == {"default_billing_mode": "per_job", "review_month": 1}


def test_settings_are_validated():
    from core.errors import PluginError

    wuye = boot(["billing", "convenience"], plugin_settings={"convenience": {"default_billing_mode": "monthly"}})
    assert wuye.settings("convenience") == {"default_billing_mode": "monthly", "review_month": 1}
    with pytest.raises(PluginError, match="review_mnth"):
        boot(["billing", "convenience"], plugin_settings={"convenience": {"review_mnth": 2}})
    with pytest.raises(PluginError, match="default_billing_mode"):
        boot(["billing", "convenience"], plugin_settings={"convenience": {"default_billing_mode": "weekly"}})


def test_default_billing_mode_comes_from_settings(published, wuye, monkeypatch):
    monkeypatch.setitem(wuye.registry.plugin_settings, "convenience", {"default_billing_mode": "monthly"})
    order = services.create_order(published.session, published.cs, {
        "unit_id": published.units[0].id, "customer_id": published.owners[0].id,
        "item_id": published.items["P-DRAIN"].id})
    assert order.billing_mode.value == "monthly"
    assert book(published, "P-DRAIN", mode="per_job").billing_mode.value == "per_job"
