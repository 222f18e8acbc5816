"""The access request's workflow (查阅申请审批, KF09 §4.5): requested → approved / refused, or
withdrawn by the requester. The approver is never the requester; approval starts the access window."""

from __future__ import annotations

import datetime as dt

from core import State, Text, Transition, Workflow, utcnow
from plugins.archive.models import ArchiveAccessRequest
from plugins.archive.settings import archive_settings


def not_the_requester(session, record, actor, **data):
    """Nobody approves their own request: the manual wants a second person (the office manager)."""
    if actor is not None and actor.id == record.requester_id:
        return Text("you asked for this access yourself: another manager must decide it",
                    "不能审批自己的查阅申请，请由其他经理审批")
    return None


def only_the_requester(session, record, actor, **data):
    if actor is not None and actor.id != record.requester_id:
        return Text("only the requester can withdraw the request", "只有申请人可以撤回申请")
    return None


def start_access_window(session, record, actor, **data):
    now = utcnow()
    record.decided_by_id = getattr(actor, "id", None)
    record.decided_at = now
    record.valid_until = now + dt.timedelta(hours=int(archive_settings(session)["access_hours"]))


def record_decision(session, record, actor, **data):
    record.decided_by_id = getattr(actor, "id", None)
    record.decided_at = utcnow()


ACCESS_REQUEST = Workflow(
    name="archive.access_request", model=ArchiveAccessRequest, state_field="status",
    states=[State("requested", "Requested", "待审批", initial=True),
            State("approved", "Approved", "已批准", final=True),
            State("refused", "Refused", "已拒绝", final=True),
            State("withdrawn", "Withdrawn", "已撤回", final=True)],
    transitions=[
        Transition("approve", ("requested",), "approved", "archive.approve_access", "Approve", "批准",
                   guards=(not_the_requester,), effects=(start_access_window,)),
        Transition("refuse", ("requested",), "refused", "archive.approve_access", "Refuse", "拒绝",
                   guards=(not_the_requester,), effects=(record_decision,), requires_comment=True),
        Transition("withdraw", ("requested",), "withdrawn", "archive.request_access", "Withdraw", "撤回",
                   guards=(only_the_requester,)),
    ],
    label="Archive access request", label_zh="档案查阅申请",
)


def workflows() -> list[Workflow]:
    return [ACCESS_REQUEST]
