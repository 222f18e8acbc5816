"""API routes of assignment (under /api/v1). The record is named by ``record_table`` and ``record_id``
(query string):

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
from core.assignment.schemas import AssignBodySchema, DispatchBodySchema, GrabBodySchema, ReleaseBodySchema
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


def _record():
    table, raw = request.args.get("record_table"), request.args.get("record_id")
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
    return _state(_record())


def _act(fn):
    record = _record()
    body = _json_body()
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
    def run(record, body):
        load(GrabBodySchema, body)  # nothing to give: anything sent is refused, naming it
        grab(db(), record, actor())
    return _act(run)


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


def document_paths(api, errors: dict, security: list) -> None:
    """Add the assignment operations to the OpenAPI document (``build_openapi`` calls this)."""
    record = [{"name": "record_table", "in": "query", "required": True, "description": "the record's table, e.g. "
               "repairs_orders", "schema": {"type": "string", "minLength": 1, "maxLength": 120}},
              {"name": "record_id", "in": "query", "required": True,
               "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}]
    state = {"type": "object", "properties": {
        "record": {"type": "object"}, "current": {"type": "object", "nullable": True},
        "history": {"type": "array", "items": {"type": "object"}},
        "deadline": {"type": "object", "nullable": True}}}
    ok = {"description": "The record's assignment after the call", "content": {"application/json": {"schema": state}}}

    def body(props: dict) -> dict:
        return {"required": False, "content": {"application/json": {"schema": {
            "type": "object", "properties": props, "additionalProperties": False}}}}

    reason = {"type": "string", "maxLength": 500}
    some = {k: errors[k] for k in ("401", "403", "404", "409", "422")}
    api.path(path="/api/v1/assignments", operations={
        "get": {"tags": ["core"], "summary": "A record's current assignment, its history and its open deadline",
                "operationId": "assignment_show", "security": security, "parameters": record,
                "responses": {"200": ok, **{k: errors[k] for k in ("401", "404", "422")}}},
        "post": {"tags": ["core"], "summary": "Assign a record (指派); replacing the assignee needs a reason (改派)",
                 "description": "Needs core.assignment.assign. A team alone offers the record to the team (抢单).",
                 "operationId": "assignment_assign", "security": security, "parameters": record,
                 "requestBody": body({"assignee_id": {"type": "integer", "nullable": True, "minimum": 1,
                                                      "maximum": MAX_ID},
                                      "team_id": {"type": "integer", "nullable": True, "minimum": 1,
                                                  "maximum": MAX_ID}, "reason": reason}),
                 "responses": {"201": ok, **some}}})
    for action, summary, props in (
            ("grab", "Grab a record offered to one's team (抢单); 409 names who has it", {}),
            ("release", "Give a record back (to its team's pool, if any)", {"reason": reason}),
            ("dispatch", "Apply the estate's dispatch rule for a category",
             {"category": {"type": "string", "minLength": 1, "maxLength": 120}})):
        api.path(path=f"/api/v1/assignments/{action}", operations={"post": {
            "tags": ["core"], "summary": summary, "operationId": f"assignment_{action}", "security": security,
            "parameters": record, "requestBody": body(props), "responses": {"200": ok, **some}}})
    moment = {"type": "string", "description": "YYYY-MM-DD (UTC midnight) or an ISO date-time"}
    api.path(path="/api/v1/reports/breaches", operations={"get": {
        "tags": ["core"], "summary": "Breach report (超时统计) of the caller's estates: per person and per team",
        "description": "Needs core.assignment.report. Deadlines run in [since, until): total, breached, rate.",
        "operationId": "breach_report", "security": security,
        "parameters": [{"name": "since", "in": "query", "required": True, "schema": moment},
                       {"name": "until", "in": "query", "required": True, "schema": moment}],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
            "type": "object", "properties": {
                "since": {"type": "string"}, "until": {"type": "string"}, "total": {"type": "integer"},
                "breached": {"type": "integer"}, "people": {"type": "array", "items": {"type": "object"}},
                "teams": {"type": "array", "items": {"type": "object"}}}}}}},
            **{k: errors[k] for k in ("401", "403", "422")}}}})


def blueprint():
    """The assignment routes, mounted under /api/v1."""
    bp = Blueprint("assignment_api", __name__)
    bp.add_url_rule("/assignments", "show", show, methods=["GET"])
    bp.add_url_rule("/assignments", "create", create, methods=["POST"])
    bp.add_url_rule("/assignments/grab", "grab", grab_it, methods=["POST"])
    bp.add_url_rule("/assignments/release", "release", release_it, methods=["POST"])
    bp.add_url_rule("/assignments/dispatch", "dispatch", dispatch_it, methods=["POST"])
    bp.add_url_rule("/reports/breaches", "breaches", breaches, methods=["GET"])
    return bp
