"""Billing's hook implementations; each delegates to the plugin's modules."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_add_hookspecs(pm):
    from plugins.billing import hookspecs

    pm.add_hookspecs(hookspecs)


@hookimpl
def wuye_register_models():
    from plugins.billing import models, models_ops

    return [
        models.FeeItem,
        models.FeePrice,
        models.FeeTier,
        models.Account,
        models.ChargeLine,
        models.Payment,
        models.Allocation,
        models.Receipt,
        models.DepositEntry,
        models.Vacancy,
        models_ops.Meter,
        models_ops.MeterReading,
        models_ops.DunningCase,
        models_ops.DunningAction,
    ]


@hookimpl
def wuye_register_permissions():
    from plugins.billing.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_config_schema():
    from plugins.billing.schemas import BillingConfigSchema

    return BillingConfigSchema()


@hookimpl
def wuye_seed_data(session):
    from plugins.billing.fees import ensure_fee_items

    ensure_fee_items(session)


@hookimpl
def wuye_scheduled_jobs():
    from core.jobs import Job
    from plugins.billing.dunning import arrears_followup

    return [
        Job(
            "billing.arrears_followup",
            "daily",
            arrears_followup,
            "Open arrears cases for units more than a month behind, keep a follow-up due every 15 days "
            "for the zone specialist, flag overdue follow-ups",
        )
    ]


@hookimpl
def wuye_unit_event(unit, event, data):
    from plugins.billing.vacancy import on_unit_event

    on_unit_event(unit, event, data)


@hookimpl
def wuye_cli_commands(cli):
    from plugins.billing.cli import register

    register(cli)


@hookimpl
def wuye_admin_views():
    from plugins.billing.admin import admin_views

    return admin_views()


@hookimpl
def wuye_api_resources():
    from plugins.billing.api import api_resources

    return api_resources()


@hookimpl
def wuye_demo_data(session, estate):
    from plugins.billing.demo import demo_data

    demo_data(session, estate)
