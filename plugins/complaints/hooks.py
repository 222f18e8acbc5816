"""Hook implementations only; each delegates to the module that holds the work."""

from __future__ import annotations

from core import hookimpl


@hookimpl
def wuye_register_models():
    from plugins.complaints.models import MODELS

    return list(MODELS)


@hookimpl
def wuye_register_permissions():
    from plugins.complaints.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def wuye_register_workflows():
    from plugins.complaints.workflows import workflows

    return workflows()


@hookimpl
def wuye_before_transition(record, transition, actor):
    from plugins.complaints.workflows import guard_transition

    guard_transition(record, transition, actor)


@hookimpl
def wuye_notification_events():
    from plugins.complaints.notifications import events

    return events()


@hookimpl
def wuye_intake_handlers():
    from core import IntakeHandler
    from plugins.complaints.handling import from_intake

    return [IntakeHandler("complaint", "Route to complaints", "转派到投诉", from_intake,
                          permission="complaints.register")]


@hookimpl
def wuye_admin_views():
    from plugins.complaints.admin import admin_views

    return admin_views()


@hookimpl
def wuye_api_resources():
    from plugins.complaints.api import api_resources

    return api_resources()


@hookimpl
def wuye_demo_data(session, estate):
    from plugins.complaints.demo import build_demo

    build_demo(session, estate)


@hookimpl
def wuye_inbox_items(session, actor, today):
    from plugins.complaints.dashboards import inbox_items

    return inbox_items(session, actor, today)


@hookimpl
def wuye_dashboard_charts(session, actor, today):
    from plugins.complaints.dashboards import charts

    return charts(session, actor, today)


@hookimpl
def wuye_dashboard_cards(actor):
    from plugins.complaints.dashboards import home_cards

    return home_cards(actor)


@hookimpl(optionalhook=True)
def wuye_return_visit_sources():
    from plugins.complaints.visits import sources

    return sources()


@hookimpl
def wuye_unit_panels(session, actor, unit):
    from plugins.complaints.panels import unit_panels

    return unit_panels(session, actor, unit)


@hookimpl
def wuye_search(session, actor, query):
    from plugins.complaints.panels import search

    return search(session, actor, query)


@hookimpl
def wuye_documents():
    from plugins.complaints.documents import documents

    return documents()


@hookimpl
def wuye_check_assignee(session, record, assignee):
    from plugins.complaints.handling import avoidance

    return avoidance(record, assignee)


@hookimpl(optionalhook=True)
def wuye_return_visit_unsatisfied(session, visit, actor):
    from plugins.complaints.visits import complaint_from_visit

    return complaint_from_visit(session, visit, actor)
