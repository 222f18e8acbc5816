"""Billing's admin screens (收费管理 menu): ledger records are never edited or deleted by hand."""

from __future__ import annotations

from core import AdminViewSpec
from plugins.billing.admin import admin_views


def test_admin_views():
    views = admin_views()
    assert all(isinstance(v, AdminViewSpec) for v in views)
    names = {v.name: v for v in views}
    assert {
        "billing_fee_items",
        "billing_charge_lines",
        "billing_payments",
        "billing_deposits",
        "billing_dunning_cases",
    } <= set(names)
    assert (
        names["billing_charge_lines"].can_create is False and names["billing_charge_lines"].can_edit is False
    )
    assert all(v.can_delete is False for v in views)
