"""Billing's hook implementations; each delegates to the plugin's modules."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_add_hookspecs(pm):
    from plugins.billing import hookspecs

    pm.add_hookspecs(hookspecs)


@hookimpl
def wuye_register_models():
    from plugins.billing.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.billing.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_config_schema():
    from plugins.billing.settings import Settings

    return Settings()


@hookimpl
def wuye_seed_data(session):
    from plugins.billing.fees import ensure_fee_items

    ensure_fee_items(session)


@hookimpl
def wuye_scheduled_jobs():
    from plugins.billing.jobs import jobs

    return jobs()


@hookimpl
def wuye_unit_event(unit, event, data):
    from plugins.billing.vacancy import on_unit_event

    on_unit_event(unit, event, data)


@hookimpl
def wuye_cli_commands(cli):
    from plugins.billing.cli import billing

    cli.add_command(billing)


@hookimpl
def wuye_admin_views():
    from plugins.billing.admin import admin_views
    from plugins.billing.run.admin import run_admin_views  # queued runs' progress (issue 21)

    return admin_views() + run_admin_views()


@hookimpl
def wuye_api_resources():
    from plugins.billing.api import api_resources

    return api_resources()


@hookimpl
def wuye_demo_data(session, estate):
    from plugins.billing.demo import build_demo

    build_demo(session, estate)


@hookimpl
def wuye_search(session, actor, query):
    from plugins.billing.panels import search

    return search(session, actor, query)


@hookimpl
def wuye_unit_panels(session, actor, unit):
    from plugins.billing.panels import unit_panels

    return unit_panels(session, actor, unit)


@hookimpl
def wuye_party_panels(session, actor, party):
    from plugins.billing.panels import party_panels

    return party_panels(session, actor, party)


@hookimpl
def wuye_inbox_items(session, actor, today):
    from plugins.billing.dashboards import inbox_items

    return inbox_items(session, actor, today)


@hookimpl
def wuye_dashboard_charts(session, actor, today):
    from plugins.billing.dashboards import charts

    return charts(session, actor, today)


@hookimpl
def wuye_dashboard_cards(actor):
    from plugins.billing.dashboards import home_cards

    return home_cards(actor)


@hookimpl
def wuye_documents():
    from plugins.billing.documents import documents

    return documents()
