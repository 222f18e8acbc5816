"""Billing's permissions and their default roles follow the manual (cashier 收费员, finance 财务部 ...)."""

from __future__ import annotations

from core import has_permission

from .helpers import staff


def test_default_roles_follow_the_manual(seeded):
    cashier, finance = staff(seeded, "c9", "cashier"), staff(seeded, "f9", "finance_dept")
    specialist, manager = staff(seeded, "s9", "cs_specialist"), staff(seeded, "m9", "office_manager")
    assert has_permission(seeded, cashier, "billing.post_payment")
    assert not has_permission(seeded, cashier, "billing.reverse")
    assert not has_permission(seeded, cashier, "billing.approve_refund")
    assert has_permission(seeded, finance, "billing.reverse")
    assert has_permission(seeded, specialist, "billing.dunning")
    assert not has_permission(seeded, specialist, "billing.post_payment")
    assert has_permission(seeded, manager, "billing.approve_refund")
