"""API routes of assignment (under /api/v1). The record is named by ``record_table`` and ``record_id``
(query string, or the JSON body):

* ``GET /assignments?record_table=&record_id=`` — the current assignment, the history and the open
  deadline (due time, escalation level);
* ``POST /assignments`` ``{"assignee_id": 5, "team_id": 2, "reason": ""}`` — assign (a team alone offers
  it to the team; replacing someone is a reassignment and needs ``reason``); ``core.assignment.assign``;
* ``POST /assignments/grab`` — take a record offered to one's team (抢单); ``core.assignment.grab``;
  a second grab is 409 naming who has it;
* ``POST /assignments/release`` ``{"reason": ""}`` — give it back (to the team's pool, if any);
* ``POST /assignments/dispatch`` ``{"category": "repairs.plumbing"}`` — apply the estate's rule;
* ``GET /reports/breaches?since=2026-12-01&until=2026-12-08`` — the breach report (超时统计) of the
  caller's estates; ``core.assignment.report``.

A record outside the caller's estates is 404; bad input is 422 naming the field; nothing changes when
a call fails.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, request

from core.assignment import (
    assign,
    assignment_history,
    breach_report,
    current_assignment,
    dispatch,
    grab,
    release,
)
from core.assignment.schemas import AssignBodySchema, DispatchBodySchema, ReleaseBodySchema
from core.assignment.service import load_record
from core.errors import NotFound, ValidationError
from core.scoping import visible_estate_ids
from core.security.grants import require
from core.validation import load
from core.web.api.resources import MAX_ID, _json_body, api_call
from core.web.context import actor, db
from core.workflow.deadlines import chain_of, levels_done, open_deadline


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


def assignment_json(a) -> dict | None:
    if a is None:
        return None
    return {"id": a.id, "assignee_id": a.assignee_id, "assignee": str(a.assignee) if a.assignee else None,
            "team_id": a.team_id, "team": a.team.name if a.team else None, "mode": a.mode.value,
            "assigned_by_id": a.assigned_by_id, "assigned_at": _iso(a.assigned_at), "ended_at": _iso(a.ended_at),
            "reason": a.reason, "offered": a.is_offered}


def _record(body: dict):
    table = request.args.get("record_table") or body.pop("record_table", None)
    raw = request.args.get("record_id") or body.pop("record_id", None)
    if not table:
        raise ValidationError({"record_table": ["name the record's table, e.g. ?record_table=repairs_orders"]})
    try:
        ident = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({"record_id": ["give the record's id as a number, e.g. ?record_id=12"]}) from None
    if not (0 < ident <= MAX_ID):
        raise NotFound(f"no record with id {ident}")
    return load_record(db(), actor(), str(table), ident)


def _state(record) -> dict:
    session = db()
    row = open_deadline(session, record)
    deadline = None
    if row is not None:
        deadline = {"state": row.state, "due_at": _iso(row.due_at), "paused": row.paused_at is not None,
                    "escalation_level": levels_done(row), "levels": len(chain_of(row)),
                    "escalate_to": row.escalate_to, "escalated_at": _iso(row.escalated_at)}
    return {"record": {"table": type(record).__tablename__, "id": record.id, "label": str(record),
                       "estate_id": record.estate_id},
            "current": assignment_json(current_assignment(session, record)),
            "history": [assignment_json(a) for a in assignment_history(session, record)], "deadline": deadline}


@api_call
def show():
    return _state(_record({}))


def _act(fn):
    body = _json_body()
    record = _record(body)
    with db().begin_nested():
        fn(record, body)
    result = _state(record)
    db().commit()
    return result


@api_call
def create():
    def run(record, body):
        data = load(AssignBodySchema, body)
        assign(db(), record, assignee=data["assignee_id"], team=data["team_id"], actor=actor(), reason=data["reason"])
    return _act(run), 201


@api_call
def grab_it():
    return _act(lambda record, body: grab(db(), record, actor()))


@api_call
def release_it():
    return _act(lambda record, body: release(db(), record, actor(), reason=load(ReleaseBodySchema, body)["reason"]))


@api_call
def dispatch_it():
    return _act(lambda record, body: dispatch(db(), record, load(DispatchBodySchema, body)["category"], actor()))


def parse_moment(raw: str | None, field: str) -> dt.datetime:
    """``2026-12-01`` (midnight UTC) or an ISO date-time with offset, as an aware UTC datetime."""
    if not raw:
        raise ValidationError({field: [f"give {field} as a date, e.g. {field}=2026-12-01"]})
    try:
        value = dt.datetime.fromisoformat(raw) if "T" in raw or " " in raw else \
            dt.datetime.combine(dt.date.fromisoformat(raw), dt.time(), dt.UTC)
    except ValueError:
        raise ValidationError({field: [f"{raw!r} is not a date (YYYY-MM-DD) or ISO date-time"]}) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@api_call
def breaches():
    session, user = db(), actor()
    require(session, user, "core.assignment.report")
    since, until = parse_moment(request.args.get("since"), "since"), parse_moment(request.args.get("until"), "until")
    return breach_report(session, since=since, until=until, estate_ids=visible_estate_ids(session, user)).as_dict()


def blueprint():
    """The assignment routes, mounted under /api/v1."""
    bp = Blueprint("assignment_api", __name__)
    bp.add_url_rule("/assignments", "show", show, methods=["GET"])
    bp.add_url_rule("/assignments", "create", create, methods=["POST"])
    bp.add_url_rule("/assignments/grab", "grab", grab_it, methods=["POST"])
    bp.add_url_rule("/assignments/release", "release", release_it, methods=["POST"])
    bp.add_url_rule("/assignments/dispatch", "dispatch", dispatch_it, methods=["POST"])
    bp.add_url_rule("/reports/breaches", "breaches", breaches, methods=["GET"])
    # Token-authenticated like the rest of /api/v1 (exempt from CSRF); the parent blueprint's exemption
    # does not reach a nested one, so this one is exempted itself.
    bp.record_once(lambda state: state.app.extensions["csrf"].exempt(bp) if "csrf" in state.app.extensions else None)
    return bp
