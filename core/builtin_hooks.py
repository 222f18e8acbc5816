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
    # Notifications, assignment and intake (issue 17): each feature lists its models in MODELS.
    from core.models import assignment, intake, notification

    return [*notification.MODELS, *assignment.MODELS, *intake.MODELS]


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
    from core.jobs import check_schedules
    from core.workflow import finalize

    finalize(wuye, problems)
    check_schedules(wuye, problems)


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
    from core.jobs import Job
    from core.workflow.deadlines import escalate_overdue

    return [Job("core.escalate_overdue", "every 5 minutes", escalate_overdue,
                "Escalate records overdue in their state (SLA deadlines) to the supervising role"),
            *(j for f in _features() for j in getattr(f, "JOBS", ()))]


@hookimpl
def wuye_notification_events():
    return [e for f in _features() for e in getattr(f, "EVENTS", ())]


@hookimpl
def wuye_notification_channels():
    import core.notifications

    return list(core.notifications.CHANNELS)
