"""Hook implementations of the return_visits plugin; each delegates to the plugin's modules."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_add_hookspecs(pm):
    from plugins.return_visits import hookspecs

    pm.add_hookspecs(hookspecs)


@hookimpl
def wuye_register_models():
    from plugins.return_visits.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.return_visits.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_scheduled_jobs():
    from plugins.return_visits.jobs import jobs

    return jobs()


@hookimpl
def wuye_config_schema():
    from plugins.return_visits.settings import Settings

    return Settings()


@hookimpl
def wuye_notification_events():
    from plugins.return_visits.notices import events

    return events()


@hookimpl
def wuye_admin_views():
    from plugins.return_visits.admin import admin_views

    return admin_views()


@hookimpl
def wuye_api_resources():
    from plugins.return_visits.api import api_resources

    return api_resources()


@hookimpl
def wuye_demo_data(session, estate):
    from plugins.return_visits.demo import build_demo

    build_demo(session, estate)


@hookimpl
def wuye_inbox_items(session, actor, today):
    from plugins.return_visits.dashboards import inbox_items

    return inbox_items(session, actor, today)


@hookimpl
def wuye_dashboard_charts(session, actor, today):
    from plugins.return_visits.dashboards import charts

    return charts(session, actor, today)


@hookimpl
def wuye_register_workflows():
    from plugins.return_visits.workflows import workflows

    return workflows()


@hookimpl
def wuye_public_pages():
    from plugins.return_visits.public import public_blueprint

    return [public_blueprint()]  # /p/return_visits/rate/<token>: the owner's rating page, no login
