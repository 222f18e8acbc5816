"""Core's own hook implementations, registered before any plugin (plugin name ``core``)."""

from __future__ import annotations

from core.hookspecs import hookimpl


@hookimpl
def wuye_register_models():
    from core import models

    return [models.Estate, models.Building, models.Unit, models.Party, models.UnitRelation,
            models.Department, models.Role, models.StaffUser, models.RolePermission,
            models.SeededPermission, models.CalendarDay, models.WorkingSchedule, *_web_models(),
            *_audit_models(), *_front_door_models()]


def _front_door_models():
    # Notifications, assignment, intake (issue 17) and printed documents (issue 16): each lists its models in MODELS.
    from core.models import assignment, document, intake, notification

    return [*notification.MODELS, *assignment.MODELS, *intake.MODELS, *document.MODELS]


def _features():
    # The core features that contribute permissions, jobs and notification events like a plugin would.
    import core.assignment
    import core.attachments
    import core.documents
    import core.intake
    import core.notifications

    return (core.notifications, core.assignment, core.attachments, core.intake, core.documents)


def _audit_models():
    # Workflow history and deadlines, activity trail, attachments, access log, job runs, sequences.
    # Importing core.activity and core.workflow also arms their Session listeners (trail, bypass).
    import core.activity  # noqa: F401
    import core.workflow  # noqa: F401
    from core.models.activity import Activity, Attachment
    from core.models.audit import AccessLog, JobRun
    from core.models.workflow import WorkflowDeadline, WorkflowHistory
    from core.sequences import Sequence

    return [WorkflowHistory, WorkflowDeadline, Activity, Attachment, AccessLog, JobRun, Sequence]


def _web_models():
    # Tables the web layer uses (API tokens, login attempts), defined below it in core.models.
    from core.models.access import ApiToken, LoginAttempt

    return [ApiToken, LoginAttempt]


@hookimpl(tryfirst=True)
def wuye_startup(wuye, problems):
    """Core's later startup stages: workflows (extensions merged, validated, enforced), job schedules.

    ``tryfirst``: plugins' own startup checks run after these, on merged and validated workflows."""
    from core.documents import check_documents
    from core.intake.handlers import check_handlers
    from core.jobs import check_schedules
    from core.notifications.registry import check as check_notifications
    from core.workflow import finalize

    finalize(wuye, problems)
    check_schedules(wuye, problems)
    check_notifications(wuye, problems)  # events and channels: names well formed, none given twice
    check_handlers(wuye, problems)  # intake categories: one handler each
    check_documents(wuye, problems)  # printable documents: names, models, templates


@hookimpl
def wuye_register_permissions():
    from core.security import CORE_PERMISSIONS

    return [*CORE_PERMISSIONS, *(p for f in _features() for p in getattr(f, "PERMISSIONS", ()))]


@hookimpl
def wuye_register_roles():
    from core.security import CORE_ROLES

    return list(CORE_ROLES)


@hookimpl
def wuye_scheduled_jobs():
    from core.assignment.escalation import escalate_overdue
    from core.jobs import Job

    return [Job("core.escalate_overdue", "every 5 minutes", escalate_overdue,
                "Escalate records overdue in their state (SLA deadlines) level by level and notify each level"),
            *(j for f in _features() for j in getattr(f, "JOBS", ()))]


@hookimpl
def wuye_notification_events():
    return [e for f in _features() for e in getattr(f, "EVENTS", ())]


@hookimpl
def wuye_notification_channels():
    import core.notifications

    return list(core.notifications.CHANNELS)
