"""The inbox and the dashboards in the API: ``GET /api/v1/inbox``, ``GET /api/v1/dashboards`` and
``GET /api/v1/dashboards/<chart-id>`` (``?estate=<id>`` narrows to one of the caller's estates; another
estate, or a chart the caller may not see, is 404). Texts are in the request's language (English by
default); amounts are yuan and rates percentages, as numbers.
"""

from __future__ import annotations

from flask import Blueprint, request

from core.clock import estate_today
from core.errors import NotFound, ValidationError
from core.models import Estate
from core.scoping import visible_estate_ids
from core.services.inbox import inbox_for, shown_count
from core.web.api.resources import MAX_ID, api_call
from core.web.context import actor, db, wuye
from core.web.dashboard import collect_charts


def _estate_id() -> int | None:
    raw = request.args.get("estate")
    if raw in (None, ""):
        return None
    try:
        wanted = int(raw)
    except ValueError:
        raise ValidationError("estate must be an estate id (a whole number)", field="estate") from None
    ids = visible_estate_ids(db(), actor())
    if not 1 <= wanted <= MAX_ID or (ids is not None and wanted not in ids):
        raise NotFound(f"no estate {wanted}")  # never confirms another estate exists
    return wanted


def _charts():
    estate_id = _estate_id()
    estate = db().get(Estate, estate_id) if estate_id is not None else None
    if estate_id is not None and estate is None:
        raise NotFound(f"no estate {estate_id}")
    charts = collect_charts(wuye(), db(), actor(), estate_today(db(), estate_id), estate=estate)
    return [c for c in charts if estate_id is None or c.estate_id in (None, estate_id)]


@api_call
def inbox():
    """The caller's to-dos, most urgent first, and the count per kind."""
    box = inbox_for(db(), actor(), estate_today(db()))
    return {"total": box.total, "overdue": box.overdue,
            "counts": {k: {"count": n, "capped": c, "shown": shown_count(n, c), "title": str(box.groups.get(k, k))}
                       for k, (n, c) in box.counts.items()},
            "items": [{"kind": i.kind, "title": str(i.title), "label": str(i.label), "state": str(i.state),
                       "url": i.url or (f"/admin/{i.view}/details/?id={i.record_id}" if i.view else ""),
                       "record_id": i.record_id, "estate_id": i.estate_id, "overdue": i.overdue, "count": i.count,
                       "due_at": i.due_at.isoformat() if i.due_at else None,
                       "due_on": i.due_on.isoformat() if i.due_on else None} for i in box.items]}


@api_call
def dashboards():
    """Every chart the caller may see (one per estate each)."""
    return {"charts": [c.as_dict() for c in _charts()]}


@api_call
def dashboard(chart_id: str):
    """One chart, for each of the caller's estates (or the one of ``?estate=``)."""
    found = [c.as_dict() for c in _charts() if c.id == chart_id]
    if not found:
        raise NotFound(f"no chart '{chart_id}'")
    return {"id": chart_id, "charts": found}


def dashboards_api() -> Blueprint:
    bp = Blueprint("dashboards_api", __name__)
    bp.add_url_rule("/inbox", "inbox", inbox, methods=["GET"])
    bp.add_url_rule("/dashboards", "dashboards", dashboards, methods=["GET"])
    bp.add_url_rule("/dashboards/<chart_id>", "dashboard", dashboard, methods=["GET"])
    return bp


CHART_SCHEMA = {"type": "object", "description": "A chart (core.Chart) for one estate: one value per category "
                "in each series; unit is '%', 'yuan' or '' (a count)",
                "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                               "estate_id": {"type": "integer", "nullable": True},
                               "kind": {"type": "string", "enum": ["bar", "line", "pie", "stacked"]},
                               "unit": {"type": "string"}, "category_title": {"type": "string"},
                               "note": {"type": "string"}, "categories": {"type": "array", "items": {"type": "string"}},
                               "series": {"type": "array", "items": {"type": "object", "properties": {
                                   "name": {"type": "string"}, "values": {"type": "array", "items": {}}}}}}}


def document_paths(api, errors: dict, security: list) -> None:
    """Add the inbox and dashboards operations to the OpenAPI document (``build_openapi`` calls this)."""
    api.components.schema("DashboardChart", CHART_SCHEMA)
    chart = {"$ref": "#/components/schemas/DashboardChart"}
    estate = {"name": "estate", "in": "query", "required": False, "description": "one of the caller's estates",
              "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
    api.path(path="/api/v1/inbox", operations={"get": {
        "tags": ["core"], "summary": "The caller's to-dos (待办), most urgent first, with counts per kind",
        "description": "Records in the caller's estates waiting for a transition the caller may take, deadlines due "
                       "within a day or overdue, escalations to the caller's roles, and what plugins add. Lists "
                       "are bounded (20 per kind) and counts stop at 99 ('99+').",
        "operationId": "inbox", "security": security,
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
            "type": "object", "properties": {
                "total": {"type": "integer"}, "overdue": {"type": "integer"},
                "counts": {"type": "object", "additionalProperties": {"type": "object"}},
                "items": {"type": "array", "items": {"type": "object"}}}}}}},
            **{k: errors[k] for k in ("401",)}}}})
    api.path(path="/api/v1/dashboards", operations={"get": {
        "tags": ["core"], "summary": "Every dashboard chart the caller may see, per estate",
        "operationId": "dashboards", "security": security, "parameters": [estate],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"charts": {"type": "array", "items": chart}}}}}},
            **{k: errors[k] for k in ("401", "404", "422")}}}})
    api.path(path="/api/v1/dashboards/{chart_id}", operations={"get": {
        "tags": ["core"], "summary": "One dashboard chart's data (e.g. billing-collection-by-month)",
        "operationId": "dashboard", "security": security,
        "parameters": [{"name": "chart_id", "in": "path", "required": True, "schema": {"type": "string"}}, estate],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"id": {"type": "string"},
                                             "charts": {"type": "array", "items": chart}}}}}},
            **{k: errors[k] for k in ("401", "404", "422")}}}})
