"""Hook implementations of the keys plugin; each delegates to the plugin's modules."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_register_models():
    from plugins.keys.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.keys.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_register_workflows():
    from plugins.keys.workflows import workflows

    return workflows()


@hookimpl
def wuye_scheduled_jobs():
    from plugins.keys.jobs import jobs

    return jobs()


@hookimpl
def wuye_config_schema():
    from plugins.keys.settings import Settings

    return Settings()


@hookimpl
def wuye_admin_views():
    from plugins.keys.admin import admin_views

    return admin_views()


@hookimpl
def wuye_api_resources():
    from plugins.keys.api import api_resources

    return api_resources()


@hookimpl
def wuye_demo_data(session, estate):
    from plugins.keys.demo import build_demo

    build_demo(session, estate)


@hookimpl
def wuye_search(session, actor, query):
    from plugins.keys.panels import search

    return search(session, actor, query)


@hookimpl
def wuye_unit_panels(session, actor, unit):
    from plugins.keys.panels import unit_panels

    return unit_panels(session, actor, unit)


@hookimpl
def wuye_party_panels(session, actor, party):
    from plugins.keys.panels import party_panels

    return party_panels(session, actor, party)


@hookimpl
def wuye_inbox_items(session, actor, today):
    from plugins.keys.dashboards import inbox_items

    return inbox_items(session, actor, today)


@hookimpl
def wuye_dashboard_charts(session, actor, today):
    from plugins.keys.dashboards import charts

    return charts(session, actor, today)


@hookimpl
def wuye_dashboard_cards(actor):
    from plugins.keys.dashboards import home_cards

    return home_cards(actor)


@hookimpl
def wuye_documents():
    from plugins.keys.documents import documents

    return documents()


@hookimpl(optionalhook=True)
def wuye_archive_sections(session, unit, party):
    """Parts of the owner archive (the archive plugin's hookspec)."""
    from plugins.keys.archive_sections import archive_sections

    return archive_sections(session, unit, party)
