"""wftest.ticket: a repair order with the manual's limits (spec 4.1): fill the order within 3 minutes,
technician on site within 10 minutes, complaints handled within 24 hours, defects rectified within 7 days."""

from __future__ import annotations

from core.db import utcnow
from core.sequences import next_number
from core.workflow import Deadline, State, Transition, Workflow

from .models import WfTicket


def needs_report(session, record, actor, report=None, **data):
    return None if report else "say what was repaired (report=...)"


def store_report(session, record, actor, report=None, **data):
    record.report = report
    record.completed_at = utcnow()


def issue_number(session, record, actor, **data):
    record.number = next_number(session, "WT", estate_id=record.estate_id, year=2026)


TICKET = Workflow(
    name="wftest.ticket",
    model=WfTicket,
    label="Ticket",
    states=[
        State("new", "New", "新建", initial=True, deadline=Deadline(minutes=3, escalate_to="cs_supervisor")),
        State("dispatched", "Dispatched", "已派工", deadline=Deadline(minutes=10, escalate_to="engineering_supervisor")),
        State("in_progress", "In progress", "维修中"),
        State("done", "Done", "已完成"),
        State("complaint", "Complaint", "投诉处理中", deadline=Deadline(hours=24)),
        State("rectifying", "Rectifying", "整改中", deadline=Deadline(days=30)),
        State("closed", "Closed", "已关闭", final=True),
        State("cancelled", "Cancelled", "已取消", final=True),
    ],
    transitions=[
        Transition("dispatch", ("new",), "dispatched", "wftest.dispatch", effects=(issue_number,)),
        Transition("arrive", ("dispatched",), "in_progress", "wftest.work"),
        Transition("complete", ("in_progress",), "done", "wftest.work", guards=(needs_report,),
                   effects=(store_report,)),
        Transition("complain", ("done",), "complaint", "wftest.dispatch"),
        Transition("defect", ("done",), "rectifying", "wftest.dispatch", deadline=Deadline(days=7)),
        Transition("close", ("done", "complaint", "rectifying"), "closed", "wftest.close"),
        Transition("waive_fee", ("done",), "closed", "wftest.approve"),
        Transition("cancel", ("new", "dispatched"), "cancelled", "wftest.dispatch", requires_comment=True),
    ],
)
