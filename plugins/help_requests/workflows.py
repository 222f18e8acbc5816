"""The help request's lifecycle, workflow ``help_requests.request`` (spec 2.19; limits 4.1 rows 15-17)::

    received ──respond──▶ responding ──resolve──▶ resolved ──close (回访)──▶ closed
        └──────────┴──cancel (comment)──▶ cancelled

``received`` carries the reply limit, a computed deadline (``Deadline(due=handling.reply_deadline)``):
the company's ``reply_minutes`` (or ``written_reply_days`` for a written inquiry) counted from when
the request was received. Overdue, it escalates to the CS
supervisor at the due time and to the management-office manager 30 minutes later (Art.4: staff who
cannot solve it ask the supervisor or the manager).
"""

from __future__ import annotations

from core import Deadline, Escalation, State, Transition, Workflow
from plugins.help_requests import handling
from plugins.help_requests.models import HelpRequest
from plugins.help_requests.schemas import CloseSchema, ResolveSchema, RespondSchema

NAME = "help_requests.request"
CHAIN = (Escalation("cs_supervisor", 0), Escalation("office_manager", 30))
REPLY_WITHIN = Deadline(due=handling.reply_deadline, chain=CHAIN)

REQUEST = Workflow(
    name=NAME, model=HelpRequest, state_field="status", label="Help request", label_zh="求助",
    states=[
        State("received", "Received", "已受理", initial=True, deadline=REPLY_WITHIN),
        State("responding", "Responding", "处理中"),
        State("resolved", "Resolved", "已处理"),
        State("closed", "Closed", "已结案", final=True),
        State("cancelled", "Cancelled", "已取消", final=True),
    ],
    transitions=[
        Transition("respond", ("received",), "responding", "help_requests.handle", label="Reply", label_zh="答复",
                   schema=RespondSchema, guards=(handling.written_reply_required,), effects=(handling.store_reply,),
                   bulk=False),
        Transition("resolve", ("responding",), "resolved", "help_requests.handle", label="Resolved",
                   label_zh="处理完成", schema=ResolveSchema, effects=(handling.store_result,), bulk=False),
        Transition("close", ("resolved",), "closed", "help_requests.handle", label="Return visit and close",
                   label_zh="回访结案", schema=CloseSchema, effects=(handling.store_return_visit,), backward=False),
        Transition("cancel", ("received", "responding"), "cancelled", "help_requests.handle", label="Cancel",
                   label_zh="取消", requires_comment=True, bulk=False, effects=(handling.stamp_closed,)),
    ],
)


def workflows() -> list[Workflow]:
    return [REQUEST]
