"""Hook implementations only; each delegates to the module that holds the work."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_register_models():
    from plugins.move_in.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.move_in.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_register_workflows():
    from plugins.move_in.workflows import workflows

    return workflows()


@hookimpl
def wuye_config_schema():
    from plugins.move_in.settings import Settings

    return Settings()


@hookimpl
def wuye_scheduled_jobs():
    from plugins.move_in.jobs import jobs

    return jobs()


@hookimpl
def wuye_billing_fee_items():
    from plugins.move_in.fees import fee_items

    return fee_items()


@hookimpl
def wuye_admin_views():
    from plugins.move_in.admin import admin_views

    return admin_views()


@hookimpl
def wuye_api_resources():
    from plugins.move_in.api import api_resources

    return api_resources()


@hookimpl
def wuye_documents():
    from plugins.move_in.documents import documents

    return documents()


@hookimpl
def wuye_unit_panels(session, actor, unit):
    from plugins.move_in.panels import unit_panels

    return unit_panels(session, actor, unit)


@hookimpl
def wuye_search(session, actor, query):
    from plugins.move_in.panels import search

    return search(session, actor, query)


@hookimpl(trylast=True)
def wuye_demo_data(session, estate):
    """Last: billing has billed the units and keys has sealed the developer's keys before the owners come."""
    from plugins.move_in.demo import build_demo

    build_demo(session, estate)


@hookimpl(optionalhook=True)
def wuye_archive_sections(session, unit, party):
    from plugins.move_in.archive_sections import archive_sections

    return archive_sections(session, unit, party)


@hookimpl(optionalhook=True)
def wuye_return_visit_sources():
    """Finished move-ins for the return_visits plugin (only called when it is enabled)."""
    from plugins.move_in.visits import sources

    return sources()
