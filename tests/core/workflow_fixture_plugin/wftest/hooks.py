"""Hooks of the workflow test plugin. CALLS records before/after-transition calls for assertions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import Permission, WorkflowError, hookimpl
from core.jobs import Job

CALLS: list[tuple[str, str, str]] = []  # (hook, transition, title)


@hookimpl
def wuye_register_models():
    from .models import WfArrear, WfNote, WfTicket

    return [WfTicket, WfNote, WfArrear]


@hookimpl
def wuye_register_permissions():
    return [
        Permission("wftest.dispatch", "Dispatch tickets", "派工", ("cs_specialist", "cs_supervisor")),
        Permission("wftest.work", "Work on tickets", "维修", ("technician", "engineering_supervisor")),
        Permission("wftest.close", "Close tickets", "关闭", ("cs_supervisor",)),
        Permission("wftest.approve", "Waive fees", "减免", ("cs_supervisor", "office_manager")),
    ]


@hookimpl
def wuye_register_workflows():
    from .workflows import TICKET

    return [TICKET]


@hookimpl
def wuye_before_transition(record, transition, actor):
    CALLS.append(("before", transition.name, getattr(record, "title", "")))
    if getattr(record, "title", "") == "veto":
        raise WorkflowError("vetoed by wftest: tickets titled 'veto' never move")


@hookimpl
def wuye_after_transition(record, transition, actor):
    CALLS.append(("after", transition.name, getattr(record, "title", "")))
    if getattr(record, "title", "") == "explode after":
        raise WorkflowError("wftest after-hook failed")


@hookimpl
def wuye_record_filter(actor, model):
    from .models import WfTicket

    if model is WfTicket and actor is not None and "general_manager" not in actor.role_names:
        return ~WfTicket.title.startswith("hidden")
    return None


def follow_up_arrears(session, now):
    """Every 15 days per arrear (催缴): the job runs daily and picks those due."""
    from .models import WfArrear

    today = now.date()
    due = session.scalars(select(WfArrear).where(
        (WfArrear.last_follow_up_on.is_(None)) | (WfArrear.last_follow_up_on <= today - dt.timedelta(days=15))))
    n = 0
    for arrear in due:
        arrear.last_follow_up_on = today
        arrear.follow_ups += 1
        n += 1
    session.flush()
    return {"followed_up": n}


def broken_job(session, now):
    from .models import WfArrear

    session.add(WfArrear(estate_id=1, debtor="should be rolled back", amount_fen=1))
    session.flush()
    raise RuntimeError("wftest.broken always fails")


@hookimpl
def wuye_scheduled_jobs():
    return [Job("wftest.follow_up_arrears", "daily", follow_up_arrears, "Arrears follow-up every 15 days"),
            Job("wftest.broken", "every 1 hours", broken_job, "Always fails")]
