"""Hook implementations of the convenience plugin; each delegates to the modules that do the work."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_register_models():
    from plugins.convenience.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.convenience.reference import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_register_workflows():
    from plugins.convenience.workflows import catalogue_workflow, order_workflow

    return [catalogue_workflow(), order_workflow()]


@hookimpl
def wuye_scheduled_jobs():
    from plugins.convenience.reference import jobs

    return jobs()


@hookimpl
def wuye_billing_fee_items():
    from plugins.convenience.reference import fee_items

    return fee_items()


@hookimpl
def wuye_config_schema():
    from plugins.convenience.schemas import SettingsSchema

    return SettingsSchema()


@hookimpl
def wuye_admin_views():
    from plugins.convenience.admin import admin_views

    return admin_views()


@hookimpl
def wuye_api_resources():
    from plugins.convenience.api import api_resources

    return api_resources()


@hookimpl
def wuye_demo_data(session, estate):
    from plugins.convenience.data.demo import build_demo

    build_demo(session, estate)


@hookimpl
def wuye_dashboard_cards(actor):
    from sqlalchemy.orm import object_session

    from plugins.convenience.reports import dashboard_cards

    session = object_session(actor) if actor is not None else None
    return dashboard_cards(session, actor) if session is not None else []
