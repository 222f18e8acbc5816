"""Hook implementations only; each delegates to the module that holds the work."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_register_models():
    from plugins.renovation.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.renovation.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_register_workflows():
    from plugins.renovation.workflows import workflows

    return workflows()


@hookimpl
def wuye_config_schema():
    from plugins.renovation.settings import Settings

    return Settings()


@hookimpl
def wuye_billing_fee_items():
    from plugins.renovation.fees import fee_items

    return fee_items()


@hookimpl
def wuye_scheduled_jobs():
    from plugins.renovation.jobs import jobs

    return jobs()


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


@hookimpl
def wuye_search(session, actor, query):
    from plugins.renovation.panels import search

    return search(session, actor, query)


@hookimpl
def wuye_unit_panels(session, actor, unit):
    from plugins.renovation.panels import unit_panels

    return unit_panels(session, actor, unit)


@hookimpl
def wuye_party_panels(session, actor, party):
    from plugins.renovation.panels import party_panels

    return party_panels(session, actor, party)


@hookimpl
def wuye_inbox_items(session, actor, today):
    from plugins.renovation.dashboards import inbox_items

    return inbox_items(session, actor, today)


@hookimpl
def wuye_dashboard_charts(session, actor, today):
    from plugins.renovation.dashboards import charts

    return charts(session, actor, today)


@hookimpl
def wuye_dashboard_cards(actor):
    from plugins.renovation.dashboards import home_cards

    return home_cards(actor)


@hookimpl
def wuye_documents():
    from plugins.renovation.documents import documents

    return documents()


@hookimpl(optionalhook=True)
def wuye_archive_sections(session, unit, party):
    """Parts of the owner archive (the archive plugin's hookspec)."""
    from plugins.renovation.archive_sections import archive_sections

    return archive_sections(session, unit, party)
