"""Hook implementations of the help_requests plugin; each delegates to the plugin's modules."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_register_models():
    from plugins.help_requests.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.help_requests.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_register_workflows():
    from plugins.help_requests.workflows import workflows

    return workflows()


@hookimpl
def wuye_config_schema():
    from plugins.help_requests.settings import Settings

    return Settings()


@hookimpl
def wuye_admin_views():
    from plugins.help_requests.admin import admin_views

    return admin_views()


@hookimpl
def wuye_api_resources():
    from plugins.help_requests.api import api_resources

    return api_resources()


@hookimpl
def wuye_notification_events():
    from plugins.help_requests.events import events

    return events()


@hookimpl
def wuye_intake_handlers():
    from plugins.help_requests.intake import handlers

    return handlers()


@hookimpl
def wuye_seed_data(session):
    from plugins.help_requests.answers import seed_answers

    seed_answers(session)


@hookimpl
def wuye_demo_data(session, estate):
    from plugins.help_requests.demo import build_demo

    build_demo(session, estate)


@hookimpl
def wuye_search(session, actor, query):
    from plugins.help_requests.panels import search

    return search(session, actor, query)


@hookimpl
def wuye_unit_panels(session, actor, unit):
    from plugins.help_requests.panels import unit_panels

    return unit_panels(session, actor, unit)


@hookimpl
def wuye_party_panels(session, actor, party):
    from plugins.help_requests.panels import party_panels

    return party_panels(session, actor, party)


@hookimpl
def wuye_inbox_items(session, actor, today):
    from plugins.help_requests.dashboards import inbox_items

    return inbox_items(session, actor, today)


@hookimpl
def wuye_dashboard_charts(session, actor, today):
    from plugins.help_requests.dashboards import charts

    return charts(session, actor, today)
