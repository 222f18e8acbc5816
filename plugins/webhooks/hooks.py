"""Hook implementations only; each delegates to the module named after what it contributes."""

from core import hookimpl


@hookimpl
def wuye_register_models():
    from plugins.webhooks.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.webhooks.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_config_schema():
    from plugins.webhooks.settings import Settings

    return Settings()


@hookimpl
def wuye_scheduled_jobs():
    from plugins.webhooks.jobs import jobs

    return jobs()


@hookimpl
def wuye_admin_views():
    from plugins.webhooks.admin import admin_views

    return admin_views()


@hookimpl
def wuye_api_resources():
    from plugins.webhooks.api import api_resources

    return api_resources()


@hookimpl
def wuye_cli_commands(cli):
    from plugins.webhooks.cli import webhooks

    cli.add_command(webhooks)


@hookimpl
def wuye_dashboard_cards(actor):
    from plugins.webhooks.endpoints import dashboard_cards

    return dashboard_cards(actor)


@hookimpl
def wuye_record_created(session, record, actor):
    from plugins.webhooks.events import record_created

    record_created(session, record, actor)


@hookimpl
def wuye_after_transition(record, transition, actor):
    from plugins.webhooks.events import record_transition

    record_transition(record, transition, actor)


@hookimpl(optionalhook=True)
def wuye_billing_payment_recorded(session, payment, actor):
    from plugins.webhooks.events import payment_recorded

    payment_recorded(session, payment, actor)
