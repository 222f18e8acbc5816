"""What billing registers: models, permissions with default roles, the job, the hookspec, admin and API specs,
CLI commands, and the vacancy kept from wuye_unit_event."""

from __future__ import annotations

import datetime as dt

from core import business_date
from core.seed import seed_all
from core.services.units import change_unit_status
from core.testing import boot
from core.web.specs import AdminViewSpec, ApiResourceSpec
from plugins.billing import hookspecs
from plugins.billing.admin import admin_views
from plugins.billing.api import api_resources
from plugins.billing.models import Vacancy

BILLING_PERMISSIONS = {
    "billing.view",
    "billing.manage_fee_items",
    "billing.run",
    "billing.post_payment",
    "billing.reverse",
    "billing.manage_deposits",
    "billing.approve_refund",
    "billing.dunning",
    "billing.reports",
}


def test_billing_boots_alone_with_its_registrations():
    wuye = boot(["billing"])
    assert wuye.order == ["billing"]
    assert {t for t, owner in wuye.registry.table_owner.items() if owner == "billing"} >= {
        "billing_fee_items",
        "billing_fee_prices",
        "billing_charge_lines",
        "billing_payments",
        "billing_allocations",
        "billing_receipts",
        "billing_accounts",
        "billing_deposit_entries",
        "billing_meters",
        "billing_meter_readings",
        "billing_dunning_cases",
        "billing_dunning_actions",
    }
    assert BILLING_PERMISSIONS <= set(wuye.registry.permissions)
    job = wuye.registry.jobs["billing.arrears_followup"]
    assert job.schedule == "daily" and wuye.registry.job_owner[job.name] == "billing"
    assert hasattr(wuye.hook, "wuye_billing_fee_items")  # published through wuye_add_hookspecs
    assert hookspecs.wuye_billing_fee_items.__doc__


def test_default_roles_follow_the_manual(seeded):
    from core.security.grants import has_permission

    from .helpers import staff

    cashier, finance = staff(seeded, "c9", "cashier"), staff(seeded, "f9", "finance_dept")
    specialist, manager = staff(seeded, "s9", "cs_specialist"), staff(seeded, "m9", "office_manager")
    assert has_permission(seeded, cashier, "billing.post_payment")
    assert not has_permission(seeded, cashier, "billing.reverse")
    assert not has_permission(seeded, cashier, "billing.approve_refund")
    assert has_permission(seeded, finance, "billing.reverse")
    assert has_permission(seeded, specialist, "billing.dunning")
    assert not has_permission(seeded, specialist, "billing.post_payment")
    assert has_permission(seeded, manager, "billing.approve_refund")


def test_admin_and_api_specs():
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
    resources = api_resources()
    assert all(isinstance(r, ApiResourceSpec) for r in resources)
    paths = {r.path: r for r in resources}
    assert paths["billing/charge-lines"].can_create is False
    assert paths["billing/payments"].create_service is not None


def test_admin_payment_service_checks_permission_and_estate(bt):
    import pytest

    from core.errors import NotFound, PermissionDenied
    from plugins.billing import actions

    from .helpers import make_estate, staff

    other, _ = make_estate(bt.session, "OT", buildings=1)
    outsider = staff(bt.session, "cash_ot", "cashier", estates=[other])
    data = {"unit_id": bt.units["101"].id, "amount_fen": 1000, "method": "cash"}
    with pytest.raises(PermissionDenied):
        actions.post_payment(bt.session, bt.specialist, data)
    with pytest.raises(NotFound):
        actions.post_payment(bt.session, outsider, data)
    assert actions.post_payment(bt.session, bt.cashier, data).to_prepaid_fen == 1000


def test_unit_events_keep_vacancy_periods(bt):
    s, unit = bt.session, bt.units["101"]
    with business_date(s, dt.date(2026, 3, 10)):  # the day at the estate when the unit empties
        change_unit_status(s, unit, "vacant")
    [row] = s.query(Vacancy).filter_by(unit_id=unit.id).all()
    assert row.vacant_from == dt.date(2026, 3, 10) and row.vacant_to is None
    with business_date(s, dt.date(2026, 9, 1)):  # used again: empty until the day before
        change_unit_status(s, unit, "occupied")
    assert row.vacant_to == dt.date(2026, 8, 31)


def test_seed_data_hook_runs_with_seed_all(session, wuye):
    from sqlalchemy import func, select

    from plugins.billing.models import FeeItem

    seed_all(session, wuye)  # calls billing's wuye_seed_data
    assert session.scalar(select(func.count(FeeItem.id))) >= 10


def test_record_rules_show_company_wide_items_to_every_office(bt):
    from sqlalchemy import select

    from core.scoping import scope
    from plugins.billing.models import FeeItem

    from .helpers import item, make_estate

    s = bt.session
    other, _ = make_estate(s, "OT2", buildings=1)
    item(s, bt.estate, "mine")
    item(s, other, "theirs")
    codes = set(s.scalars(scope(select(FeeItem.code), bt.cashier, FeeItem)))
    assert "mine" in codes and "property_service" in codes and "theirs" not in codes
