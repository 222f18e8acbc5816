"""Intake, the front door (来电来访登记): one reception record for everything that arrives, routed to the
plugin that handles its category, and incidents that merge duplicates. See docs/intake.md.

Public API (for the plugin kit): ``IntakeHandler`` (returned from hook ``wuye_intake_handlers``),
``register_intake``, ``route_intake``, ``answer_intake``, ``close_intake``, ``open_incident``, ``incident_from_intake``,
``merge_into_incident``, ``find_possible_duplicates``, ``resolve_incident``, ``reporters_of``.
"""

from __future__ import annotations

from core.intake.handlers import IntakeHandler, handler_for, intake_handlers
from core.intake.incidents import (
    DUPLICATE_HOURS,
    RESOLVED_EVENT,
    Reporters,
    find_possible_duplicates,
    incident_from_intake,
    merge_into_incident,
    open_incident,
    open_incidents,
    reporters_of,
    resolve_incident,
)
from core.intake.reception import answer_intake, close_intake, register_intake, route_intake
from core.notifications import NotificationEvent
from core.security import Permission

_CS = ("cs_center_manager", "cs_supervisor", "cs_specialist", "butler", "front_desk", "hotline_operator")
_LEADS = ("general_manager", "office_manager", "assistant_manager", "duty_manager")

# What core.builtin_hooks registers for this feature.
PERMISSIONS: tuple = (
    Permission("core.intake.view", "View reception records and incidents", "查看来电来访登记与事件",
               (*_CS, *_LEADS, "engineering_supervisor", "chief_engineer")),
    Permission("core.intake.register", "Register and answer calls and visits", "登记并答复来电来访",
               (*_CS, "duty_manager")),
    Permission("core.intake.route", "Route reception records to the department that handles them",
               "转派来电来访登记", (*_CS, "duty_manager", "office_manager")),
    Permission("core.incidents.manage", "Open, merge and resolve incidents", "登记、合并与处理事件",
               ("cs_center_manager", "cs_supervisor", "office_manager", "general_manager", "duty_manager",
                "engineering_supervisor")),
)
JOBS: tuple = ()
EVENTS: tuple = (
    NotificationEvent(
        RESOLVED_EVENT, "Incident resolved (to every reporter)", "事件已处理（通知每位报告人）",
        templates={
            "zh_CN": ("{{ title }}已处理",
                      "您好，您反映的“{{ title }}”（{{ number }}）已处理：{{ resolution }}。感谢您的支持！{{ estate }}管理处"),
            "en": ("Resolved: {{ title }}",
                   "The matter you reported, \"{{ title }}\" ({{ number }}), has been resolved: {{ resolution }}. "
                   "Thank you. {{ estate }} management office"),
        },
        channels=("sms",)),
)

__all__ = [
    "DUPLICATE_HOURS", "EVENTS", "JOBS", "PERMISSIONS", "IntakeHandler", "Reporters", "answer_intake", "close_intake",
    "find_possible_duplicates", "handler_for", "incident_from_intake", "intake_handlers", "merge_into_incident",
    "open_incident", "open_incidents", "register_intake", "reporters_of", "resolve_incident", "route_intake",
]
