"""Billing boots alone and registers what it owns: every model, its permissions, the job, the hookspec,
the CLI group, the config schema; its seed hook runs with ``seed_all``."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from core.seed import seed_all
from core.testing import boot
from plugins.billing import hookspecs
from plugins.billing.cli import billing as billing_cli
from plugins.billing.models import MODELS, FeeItem
from plugins.billing.permissions import PERMISSIONS
from plugins.billing.settings import Settings

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


def test_hooks_return_the_entry_points():
    from plugins.billing import hooks

    assert hooks.wuye_register_models() == list(MODELS)
    assert hooks.wuye_register_permissions() == list(PERMISSIONS)
    assert isinstance(hooks.wuye_config_schema(), Settings)
    assert [j.name for j in hooks.wuye_scheduled_jobs()] == ["billing.arrears_followup", "billing.deemed_delivery"]
    wuye_cli = click.Group("wuye")
    hooks.wuye_cli_commands(wuye_cli)
    assert wuye_cli.commands["billing"] is billing_cli
    assert {"run", "publish", "aging"} <= set(billing_cli.commands)


def test_seed_data_hook_runs_with_seed_all(session, wuye):
    seed_all(session, wuye)  # calls billing's wuye_seed_data
    assert session.scalar(select(func.count(FeeItem.id))) >= 10
