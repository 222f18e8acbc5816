"""Wuye core: the public API for plugin authors (the plugin kit).

Everything a plugin needs is importable from here, and a plugin imports nothing else of the core
but ``core.models``::

    from core import hookimpl, authorize, estate_today, attributed, load, next_number
    from core import Workflow, State, Transition, AdminViewSpec, ApiResourceSpec, Job, Card
    from core.models import Estate, Unit, Party

Names are resolved on first use (PEP 562), so ``import core`` stays cheap and importing a low
layer of the core (``core.db``) never drags in the layers above it. Anything not listed in
``__all__`` is internal and may change between versions; docs/writing-plugins.md describes each
name.
"""

from __future__ import annotations

import importlib

# name -> module that defines it, grouped by layer (lowest first)
_EXPORTS: dict[str, str] = {
    # errors, database, clock and session context
    "WuyeError": "core.errors", "ValidationError": "core.errors", "NotFound": "core.errors",
    "Conflict": "core.errors", "PermissionDenied": "core.errors", "WorkflowError": "core.errors",
    "ConfirmationRequired": "core.errors",
    "Base": "core.db", "UTCDateTime": "core.db", "fen_to_yuan": "core.db", "round_fen": "core.db",
    "to_fen": "core.db",
    "utcnow": "core.clock", "estate_today": "core.clock", "estate_now": "core.clock",
    "business_date": "core.clock", "day_bounds": "core.clock", "zone_of": "core.clock",
    "as_system": "core.context", "is_system": "core.context", "settings_of": "core.context",
    "wuye_of": "core.context",
    "load": "core.validation", "label_fields": "core.validation",
    "Text": "core.text",
    "hookimpl": "core.hookspecs",
    # security: permissions, roles, estate scoping, masking
    "Permission": "core.security", "RoleDef": "core.security",
    "has_permission": "core.security.grants",
    "authorize": "core.scoping", "visible_estate_ids": "core.scoping", "scoped_select": "core.scoping",
    "get_scoped": "core.scoping",
    "mask_phone": "core.security.masking", "mask_id_number": "core.security.masking",
    "masked": "core.security.masking", "confirm_second_person": "core.security.second_person",
    # activity trail and numbering
    "attributed": "core.activity", "acting_as": "core.activity", "record_event": "core.activity",
    "untracked": "core.activity", "attach": "core.activity", "add_comment": "core.activity",
    "next_number": "core.sequences",
    # workflows
    "Workflow": "core.workflow", "State": "core.workflow", "Transition": "core.workflow",
    "Deadline": "core.workflow", "Escalation": "core.workflow", "WorkflowExtension": "core.workflow", "apply": "core.workflow",
    "allowed_transitions": "core.workflow", "get_workflow": "core.workflow",
    "transition_context": "core.workflow",
    # business calendar (营业日历): working-time arithmetic for due dates outside workflows
    "add_working_time": "core.workflow.calendar", "calendar_for": "core.workflow.calendar",
    # core services plugins build on
    "owners_of": "core.services.units", "current_relations": "core.services.units",
    "change_unit_status": "core.services.units", "ALLOWED_STATUS_CHANGES": "core.services.units",
    "add_relation": "core.services.units",
    "parse_unit": "core.services.search", "find_units": "core.services.search",
    "find_parties": "core.services.search",
    # what plugins contribute: jobs, screens, API resources, home cards, CLI helpers
    "Job": "core.jobs",
    "AdminViewSpec": "core.web.specs", "ApiResourceSpec": "core.web.specs",
    "SERVICE_DESK_MENU": "core.web.specs", "SETTINGS_MENU": "core.web.specs",
    "PROPERTY_MENU": "core.web.specs",
    "request_session": "core.web.context", "request_actor": "core.web.context",
    "Card": "core.web.dashboard", "Chart": "core.web.dashboard", "InboxItem": "core.web.dashboard",
    "Panel": "core.web.panels", "SearchHit": "core.web.panels",
    "echo_json": "core.cli", "pass_state": "core.cli",
    # the front door (issue 17): telling people, assigning work, files on records, the reception desk
    "send_notification": "core.notifications", "Audience": "core.notifications",
    "NotificationEvent": "core.notifications", "Channel": "core.notifications", "Gateway": "core.notifications",
    "assign": "core.assignment", "reassign": "core.assignment", "release": "core.assignment",
    "grab": "core.assignment", "dispatch": "core.assignment", "current_assignment": "core.assignment",
    "assignment_history": "core.assignment", "breach_report": "core.assignment",
    "Attachable": "core.attachments", "add_attachment": "core.attachments", "remove_attachment": "core.attachments",
    "list_attachments": "core.attachments", "check_attachment": "core.attachments", "get_attachment": "core.attachments", "read_attachment": "core.attachments",
    "attachable_models": "core.attachments", "AttachmentStorage": "core.attachments",
    "LocalStorage": "core.attachments", "register_attachment_backend": "core.attachments",
    "IntakeHandler": "core.intake", "register_intake": "core.intake", "route_intake": "core.intake",
    "answer_intake": "core.intake", "open_incident": "core.intake", "merge_into_incident": "core.intake",
    "resolve_incident": "core.intake",
    # printable documents (打印单据): receipts, notices, permits (issue 16)
    "Document": "core.documents", "amount_in_words": "core.documents",
    # the task queue (issue 21): work for the workers, in-process without a broker (docs/jobs.md)
    "task": "core.queue", "enqueue": "core.queue", "enqueue_many": "core.queue", "queue_enabled": "core.queue",
    "mark_tasks_lost": "core.queue",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'core' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
