"""Hook implementations only; each delegates to the modules beside it."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_register_models():
    from plugins.renovation.models import ALL_MODELS

    return list(ALL_MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.renovation.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_register_workflows():
    from plugins.renovation.workflows import application_workflow, violation_workflow

    return [application_workflow(), violation_workflow()]


@hookimpl
def wuye_config_schema():
    from plugins.renovation.settings import RenovationSettings

    return RenovationSettings()


@hookimpl
def wuye_billing_fee_items():
    """The renovation fees billing must know before the agreement posts them (spec 2.5 RenovationFee)."""
    from plugins.billing.services import FeeItemDef

    return [
        FeeItemDef(code="RENO_WASTE", name="Renovation waste removal", name_zh="装修垃圾清运费",
                   category="renovation", basis="fixed", cycle="one_off"),
        FeeItemDef(code="RENO_PASS", name="Renovation worker pass", name_zh="装修人员出入证工本费",
                   category="renovation", basis="fixed", cycle="one_off"),
    ]


@hookimpl
def wuye_scheduled_jobs():
    from core.jobs import Job
    from plugins.renovation.jobs import run_manager_inspections

    return [Job("renovation.manager_inspections", "daily", run_manager_inspections,
                "Flag renovating units with fewer than two manager patrols today (KF02 §2 j)")]


@hookimpl
def wuye_admin_views():
    from plugins.renovation.admin import admin_views

    return admin_views()


@hookimpl
def wuye_api_resources():
    from plugins.renovation.api import api_resources

    return api_resources()


@hookimpl
def wuye_demo_data(session, estate):
    from plugins.renovation.demo import build_demo

    build_demo(session, estate)
