"""Assignment and escalation (派工与升级): named assignee and team, dispatch modes (assign, grab 抢单,
round-robin), the escalation chain staff -> supervisor -> manager, and breach reports. See docs/assignment.md.

Public API: :func:`assign`, :func:`reassign`, :func:`release`, :func:`grab`, :func:`dispatch`,
:func:`current_assignment`, :func:`assignment_history`, :func:`breach_report`; the job
``core.escalate_overdue`` is :func:`core.assignment.escalation.escalate_overdue`.
"""

from __future__ import annotations

from core.assignment.escalation import DEADLINE_ESCALATED, RECORD_ASSIGNED
from core.assignment.permissions import PERMISSIONS
from core.assignment.report import BreachReport, BreachRow, breach_report
from core.assignment.service import (
    assign,
    assignment_history,
    current_assignment,
    dispatch,
    grab,
    reassign,
    release,
)

# What core.builtin_hooks registers for this feature.
JOBS: tuple = ()  # core.escalate_overdue stays in builtin_hooks' own list (its func is escalation.escalate_overdue)
EVENTS: tuple = (DEADLINE_ESCALATED, RECORD_ASSIGNED)

__all__ = ["EVENTS", "JOBS", "PERMISSIONS", "BreachReport", "BreachRow", "assign", "assignment_history",
           "breach_report", "current_assignment", "dispatch", "grab", "reassign", "release"]
