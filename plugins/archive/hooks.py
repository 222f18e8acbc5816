"""Hook implementations of the archive plugin; each delegates to the plugin's modules."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_add_hookspecs(pm):
    from plugins.archive import hookspecs

    pm.add_hookspecs(hookspecs)


@hookimpl
def wuye_register_models():
    from plugins.archive.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.archive.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_register_workflows():
    from plugins.archive.workflows import workflows

    return workflows()


@hookimpl
def wuye_config_schema():
    from plugins.archive.settings import Settings

    return Settings()


@hookimpl
def wuye_scheduled_jobs():
    from plugins.archive.jobs import jobs

    return jobs()


@hookimpl
def wuye_notification_events():
    from plugins.archive.notices import events

    return events()


@hookimpl
def wuye_admin_views():
    from plugins.archive.admin import admin_views

    return admin_views()


@hookimpl
def wuye_api_resources():
    from plugins.archive.api import api_resources

    return api_resources()


@hookimpl
def wuye_documents():
    from plugins.archive.documents import documents

    return documents()


@hookimpl
def wuye_unit_panels(session, actor, unit):
    from plugins.archive.panels import unit_panels

    return unit_panels(session, actor, unit)


@hookimpl
def wuye_demo_data(session, estate):
    from plugins.archive.demo import build_demo

    build_demo(session, estate)
