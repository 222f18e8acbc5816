"""Dunning (催缴): arrears cases, follow-up actions and the daily ``billing.arrears_followup`` job.

Rule (KF09 §4.4.2): owners more than one month in arrears are followed up by the zone specialist at
least every 15 days. The job opens a case for each such unit, keeps exactly one pending follow-up
per case (due when the case opens, then 15 days after the last one done), flags pending follow-ups
past their due day, and closes cases whose old arrears are paid.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import Conflict, Text, ValidationError, authorize, estate_today
from core.models import Estate, Unit
from plugins.billing import periods as P
from plugins.billing.arrears import _live_as_of, open_as_of
from plugins.billing.models import CASE_STATUSES, DUNNING_KINDS, ChargeLine, DunningAction, DunningCase

FOLLOWUP_DAYS = 15
SPECIALIST_ROLE = "cs_specialist"


def open_case(session: Session, unit: Unit, *, on: dt.date) -> DunningCase:
    """The unit's open case, created if there is none."""
    case = session.scalar(
        select(DunningCase).where(DunningCase.unit_id == unit.id, DunningCase.status != "closed")
    )
    if case is None:
        case = DunningCase(
            estate_id=unit.estate_id, unit_id=unit.id, opened_on=on, assigned_role=SPECIALIST_ROLE
        )
        session.add(case)
        session.flush()
    return case


def pending_action(session: Session, case: DunningCase) -> DunningAction | None:
    return session.scalar(
        select(DunningAction)
        .where(DunningAction.case_id == case.id, DunningAction.done_on.is_(None))
        .order_by(DunningAction.due_on)
        .limit(1)
    )


def record_dunning_action(
    session: Session,
    actor,
    case: DunningCase,
    *,
    kind: str,
    result: str = "",
    done_on: dt.date | None = None,
    promised_on: dt.date | None = None,
    dispute_reason: str | None = None,
) -> DunningAction:
    """Record a follow-up done (phone, sms, notice, visit, letter, legal); completes the pending one.

    ``promised_on`` marks the case *promised*, ``dispute_reason`` *disputed* (the owner's grounds for
    refusal; late fees pause from ``done_on`` until the dispute ends), a ``legal`` action *legal*.
    Needs ``billing.dunning``.
    """
    authorize(session, actor, "billing.dunning")
    if kind not in DUNNING_KINDS:
        raise ValidationError(
            Text(f"{kind!r} is not a follow-up kind; use one of {', '.join(DUNNING_KINDS)}", f"{kind!r} 不是有效的催缴方式"), field="kind"
        )
    if case.status == "closed":
        raise Conflict(Text("this case is closed; its arrears were paid", "该欠费跟进已结案（欠费已缴清）"), field="case")
    done_on = done_on or estate_today(session, case.unit.estate)
    action = pending_action(session, case)
    if action is None:
        action = DunningAction(
            estate_id=case.estate_id, case_id=case.id, due_on=done_on, assigned_role=case.assigned_role
        )
        session.add(action)
    action.kind, action.done_on, action.result = kind, done_on, result[:1000]
    action.staff_id = getattr(actor, "id", None)  # None: recorded by the system
    if kind == "legal":
        case.status = "legal"
    elif dispute_reason:
        if case.status != "disputed":
            case.disputed_on, case.dispute_resolved_on = done_on, None
        case.status, case.dispute_reason = "disputed", dispute_reason[:400]
    elif promised_on is not None:
        case.status, case.promised_on = "promised", promised_on
    session.flush()
    return action


def set_case_status(
    session: Session, actor, case: DunningCase, status: str, *, note: str = "", on: dt.date | None = None
) -> DunningCase:
    """Change a case's status by hand (e.g. back to open after a broken promise).

    Marking it *disputed* starts a dispute on ``on`` (default the estate's today): late fees pause;
    leaving *disputed* ends it on ``on``: late fees accrue again from that day.
    """
    authorize(session, actor, "billing.dunning")
    if status not in CASE_STATUSES or status == "closed":
        raise ValidationError(
            Text("status is one of open, promised, disputed, legal (cases close when paid)", "状态须为：跟进中、承诺缴费、有争议、法律程序（缴清后自动结案）"), field="status"
        )
    on = on or estate_today(session, case.unit.estate)
    if status == "disputed" and case.status != "disputed":
        case.disputed_on, case.dispute_resolved_on = on, None
    elif status != "disputed" and case.status == "disputed":
        if on < case.disputed_on:
            raise ValidationError(Text(f"the dispute began on {case.disputed_on}; it cannot end before",
                                       f"争议始于 {case.disputed_on}，结束日期不能早于该日"), field="on")
        case.dispute_resolved_on = on
    case.status = status
    if note:
        case.note = (case.note + "\n" + note).strip()[:1000]
    session.flush()
    return case


def overdue_units(session: Session, estate: Estate, today: dt.date) -> dict[int, tuple[int, dt.date]]:
    """``{unit_id: (overdue fen, oldest due day)}`` for units with arrears older than one month."""
    limit = P.months_before(today, 1)
    open_ = open_as_of(today)
    stmt = (
        select(ChargeLine.unit_id, func.sum(open_), func.min(ChargeLine.due_on))
        .where(ChargeLine.estate_id == estate.id, *_live_as_of(today), open_ > 0, ChargeLine.due_on <= today)
        .group_by(ChargeLine.unit_id)
        .having(func.min(ChargeLine.due_on) < limit)
    )
    return {uid: (int(fen), oldest) for uid, fen, oldest in session.execute(stmt)}


def arrears_followup(session: Session, now: dt.datetime | None = None) -> dict:
    """The daily job ``billing.arrears_followup`` (every estate; see the module docstring)."""
    summary = {"cases_opened": 0, "actions_created": 0, "overdue_flagged": 0, "cases_closed": 0}
    for estate in session.scalars(select(Estate).order_by(Estate.id)):
        today = estate_today(session, estate, now)
        overdue = overdue_units(session, estate, today)
        cases = {
            c.unit_id: c
            for c in session.scalars(
                select(DunningCase).where(DunningCase.estate_id == estate.id, DunningCase.status != "closed")
            )
        }
        for unit_id, (fen, oldest) in sorted(overdue.items()):
            case = cases.get(unit_id)
            if case is None:
                case = DunningCase(
                    estate_id=estate.id, unit_id=unit_id, opened_on=today, assigned_role=SPECIALIST_ROLE
                )
                session.add(case)
                session.flush()
                summary["cases_opened"] += 1
            case.arrears_fen, case.oldest_due_on = fen, oldest
            if pending_action(session, case) is None:
                last = session.scalar(
                    select(func.max(DunningAction.done_on)).where(DunningAction.case_id == case.id)
                )
                due = today if last is None else last + dt.timedelta(days=FOLLOWUP_DAYS)
                session.add(
                    DunningAction(
                        estate_id=estate.id,
                        case_id=case.id,
                        kind="phone",
                        due_on=due,
                        assigned_role=case.assigned_role,
                    )
                )
                summary["actions_created"] += 1
        for unit_id, case in cases.items():
            if unit_id not in overdue:
                if case.status == "disputed":  # the dispute ends with the case: late fees run again
                    case.dispute_resolved_on = today
                case.status, case.closed_on, case.arrears_fen = "closed", today, 0
                for action in session.scalars(
                    select(DunningAction).where(
                        DunningAction.case_id == case.id, DunningAction.done_on.is_(None)
                    )
                ):
                    action.done_on, action.result = today, "欠费已结清 (closed by billing.arrears_followup)"
                summary["cases_closed"] += 1
        session.flush()
        late = session.scalars(
            select(DunningAction)
            .join(DunningCase, DunningCase.id == DunningAction.case_id)
            .where(
                DunningAction.estate_id == estate.id,
                DunningAction.done_on.is_(None),
                DunningAction.due_on < today,
                DunningAction.overdue.is_(False),
            )
        )
        for action in late:
            action.overdue = True
            summary["overdue_flagged"] += 1
    session.flush()
    return summary
