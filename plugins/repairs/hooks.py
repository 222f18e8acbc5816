"""Hook implementations only; each delegates to the module that holds the work."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_register_models():
    from plugins.repairs.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.repairs.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_register_workflows():
    from plugins.repairs.workflows import workflows

    return workflows()


@hookimpl
def wuye_billing_fee_items():
    from plugins.repairs.charges import fee_items

    return fee_items()


@hookimpl
def wuye_intake_handlers():
    from plugins.repairs.orders import intake_handlers

    return intake_handlers()


@hookimpl(optionalhook=True)
def wuye_return_visit_sources():
    from plugins.repairs.visits import sources

    return sources()


@hookimpl
def wuye_admin_views():
    from plugins.repairs.admin import admin_views

    return admin_views()


@hookimpl
def wuye_api_resources():
    from plugins.repairs.api import api_resources

    return api_resources()


@hookimpl
def wuye_documents():
    from plugins.repairs.documents import documents

    return documents()


@hookimpl
def wuye_unit_panels(session, actor, unit):
    from plugins.repairs.panels import unit_panels

    return unit_panels(session, actor, unit)


@hookimpl
def wuye_search(session, actor, query):
    from plugins.repairs.panels import search

    return search(session, actor, query)


@hookimpl
def wuye_demo_data(session, estate):
    from plugins.repairs.demo import build_demo

    build_demo(session, estate)


@hookimpl
def wuye_notification_events():
    from plugins.repairs.notify import EVENTS

    return list(EVENTS)


@hookimpl
def wuye_dashboard_charts(session, actor, today):
    from plugins.repairs.dashboards import charts

    return charts(session, actor, today)
