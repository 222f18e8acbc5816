"""Hook implementations only; each delegates to the module named after what it contributes."""

from core import hookimpl


@hookimpl
def wuye_register_models():
    from wuye_visitors.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from wuye_visitors.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_register_workflows():
    from wuye_visitors.workflows import workflows

    return workflows()


@hookimpl
def wuye_config_schema():
    from wuye_visitors.settings import Settings

    return Settings()


@hookimpl
def wuye_scheduled_jobs():
    from wuye_visitors.jobs import jobs

    return jobs()


@hookimpl
def wuye_admin_views():
    from wuye_visitors.admin import admin_views

    return admin_views()


@hookimpl
def wuye_api_resources():
    from wuye_visitors.api import api_resources

    return api_resources()


@hookimpl
def wuye_dashboard_cards(actor):
    from wuye_visitors.visits import dashboard_cards

    return dashboard_cards(actor)


@hookimpl
def wuye_demo_data(session, estate):
    from wuye_visitors.demo import build_demo

    build_demo(session, estate)
