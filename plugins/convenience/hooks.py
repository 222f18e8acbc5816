"""Hook implementations of the convenience plugin; each delegates to the modules that do the work."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_register_models():
    from plugins.convenience.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.convenience.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_register_workflows():
    from plugins.convenience.workflows import workflows

    return workflows()


@hookimpl
def wuye_scheduled_jobs():
    from plugins.convenience.jobs import jobs

    return jobs()


@hookimpl
def wuye_billing_fee_items():
    from plugins.convenience.fees import fee_items

    return fee_items()


@hookimpl
def wuye_config_schema():
    from plugins.convenience.settings import Settings

    return Settings()


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
    from plugins.convenience.demo import build_demo

    build_demo(session, estate)


@hookimpl
def wuye_dashboard_cards(actor):
    from plugins.convenience.reports import home_cards

    return home_cards(actor)


@hookimpl
def wuye_search(session, actor, query):
    from plugins.convenience.panels import search

    return search(session, actor, query)


@hookimpl
def wuye_unit_panels(session, actor, unit):
    from plugins.convenience.panels import unit_panels

    return unit_panels(session, actor, unit)


@hookimpl
def wuye_party_panels(session, actor, party):
    from plugins.convenience.panels import party_panels

    return party_panels(session, actor, party)


@hookimpl
def wuye_inbox_items(session, actor, today):
    from plugins.convenience.dashboards import inbox_items

    return inbox_items(session, actor, today)


@hookimpl
def wuye_dashboard_charts(session, actor, today):
    from plugins.convenience.dashboards import charts

    return charts(session, actor, today)


@hookimpl
def wuye_documents():
    from plugins.convenience.documents import documents

    return documents()


@hookimpl(optionalhook=True)
def wuye_return_visit_sources():
    """Confirmed convenience orders for the return_visits plugin (only called when it is enabled)."""
    from plugins.convenience.visits import sources

    return sources()
