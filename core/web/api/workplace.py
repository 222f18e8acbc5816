"""The workplace in the API: ``GET /api/v1/search?q=``, ``GET /api/v1/units/<id>/overview`` and
``GET /api/v1/parties/<id>/overview`` — what the search page, the unit's page and the party's page
show, as JSON (English labels; panels carry ``title_zh``). A record outside the caller's estates is
404, an empty or too long ``q`` is 422 naming the field.
"""

from __future__ import annotations

from flask import Blueprint, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.clock import estate_today
from core.errors import NotFound
from core.models import Party, Unit, UnitRelation
from core.scoping import get_scoped, scoped_select
from core.security.grants import require
from core.services.search import MAX_QUERY, shown_phone
from core.web.admin.workplace import plugin_panels
from core.web.admin.workplace_search import run_search
from core.web.api.resources import MAX_ID, api_call
from core.web.context import actor, db, wuye
from core.web.panels import hit_json, panel_json


def _relation(session, user, r: UnitRelation, today, *, show: str) -> dict:
    out = {"kind": r.kind.value if hasattr(r.kind, "value") else r.kind, "start_on": r.start_on.isoformat(),
           "end_on": r.end_on.isoformat() if r.end_on else None,
           "current": r.start_on <= today and (r.end_on is None or r.end_on >= today),
           "share": r.share, "relation_to_owner": r.relation_to_owner}
    if show == "party":
        out["party"] = {"id": r.party_id, "name": r.party.name, "phone": shown_phone(session, user, r.party.phone)}
    else:
        out["unit"] = {"id": r.unit_id, "label": r.unit.label, "estate_id": r.unit.estate_id}
    return out


def _check_id(ident: int, what: str) -> None:
    if not (0 < ident <= MAX_ID):  # beyond a 32-bit key PostgreSQL would refuse the comparison
        raise NotFound(f"no {what} with id {ident}")


def _panels(hook: str, **target) -> list[dict]:
    return [{"plugin": plugin, **panel_json(p)} for plugin, p in plugin_panels(wuye(), hook, db(), actor(), **target)]


@api_call
def search():
    """Units, parties and every plugin's documents matching ``q``, grouped."""
    result = run_search(db(), actor(), request.args.get("q", ""), wuye())
    return {"query": result.query, "groups": [{"title": str.__str__(title) if isinstance(title, str) else str(title),
                                               "hits": [hit_json(h) for h in hits]} for title, hits in result.groups]}


@api_call
def unit_overview(ident: int):
    session, user = db(), actor()
    require(session, user, "core.units.view")
    _check_id(ident, "unit")
    unit = get_scoped(session, user, Unit, ident, options=(joinedload(Unit.building), joinedload(Unit.estate)))
    today = estate_today(session, unit.estate)
    relations = []
    if has_parties(session, user):
        relations = list(session.scalars(select(UnitRelation).options(joinedload(UnitRelation.party))
                                         .where(UnitRelation.unit_id == unit.id)
                                         .order_by(UnitRelation.start_on.desc(), UnitRelation.id.desc()).limit(50)))
    return {"unit": {"id": unit.id, "label": unit.label, "estate_id": unit.estate_id,
                     "estate": unit.estate.name if unit.estate else None, "building_id": unit.building_id,
                     "entrance": unit.entrance, "floor": unit.floor, "room_no": unit.room_no,
                     "unit_type": getattr(unit.unit_type, "value", unit.unit_type),
                     "status": getattr(unit.status, "value", unit.status), "built_area": str(unit.built_area),
                     "interior_area": str(unit.interior_area),
                     "delivered_on": unit.delivered_on.isoformat() if unit.delivered_on else None},
            "relations": [_relation(session, user, r, today, show="party") for r in relations],
            "panels": _panels("wuye_unit_panels", unit=unit)}


@api_call
def party_overview(ident: int):
    session, user = db(), actor()
    require(session, user, "core.parties.view")
    _check_id(ident, "party")
    party = get_scoped(session, user, Party, ident)
    today = estate_today(session)
    relations = list(session.scalars(scoped_select(session, user, UnitRelation)
                                     .options(joinedload(UnitRelation.unit).joinedload(Unit.building))
                                     .where(UnitRelation.party_id == party.id)
                                     .order_by(UnitRelation.start_on.desc(), UnitRelation.id.desc()).limit(50)))
    return {"party": {"id": party.id, "name": party.name, "kind": getattr(party.kind, "value", party.kind),
                      "phone": shown_phone(session, user, party.phone)},
            "relations": [_relation(session, user, r, today, show="unit") for r in relations],
            "panels": _panels("wuye_party_panels", party=party)}


def has_parties(session, user) -> bool:
    from core.security.grants import has_permission

    return has_permission(session, user, "core.parties.view")


def workplace_api() -> Blueprint:
    bp = Blueprint("workplace_api", __name__)
    bp.add_url_rule("/search", "search", search, methods=["GET"])
    bp.add_url_rule("/units/<int:ident>/overview", "unit_overview", unit_overview, methods=["GET"])
    bp.add_url_rule("/parties/<int:ident>/overview", "party_overview", party_overview, methods=["GET"])
    return bp


PANEL_SCHEMA = {"type": "object", "description": "A plugin's panel (core.Panel): cells are strings, numbers, "
                "dates, money {fen, text} or links {text, view|page, id}",
                "properties": {"plugin": {"type": "string"}, "key": {"type": "string"}, "title": {"type": "string"},
                               "title_zh": {"type": "string"},
                               "facts": {"type": "array", "items": {"type": "object"}},
                               "columns": {"type": "array", "items": {"type": "string"}},
                               "rows": {"type": "array", "items": {"type": "array", "items": {}}},
                               "actions": {"type": "array", "items": {"type": "object"}},
                               "empty": {"type": "string"}}}


def document_paths(api, errors: dict, security: list, id_param: dict) -> None:
    """Add the three workplace operations to the OpenAPI document (``build_openapi`` calls this)."""
    api.components.schema("WorkplacePanel", PANEL_SCHEMA)
    panel_ref = {"$ref": "#/components/schemas/WorkplacePanel"}
    overview = {"type": "object", "properties": {
        "relations": {"type": "array", "items": {"type": "object"}},
        "panels": {"type": "array", "items": panel_ref}}}
    api.path(path="/api/v1/search", operations={"get": {
        "tags": ["core"], "summary": "Search units, owners and tenants, and documents (top-bar search)",
        "description": "A unit as typed (3-1-1201, 3栋1单元1201, 3栋1201, 1201), a name prefix, a phone's last "
                       "4+ digits (only the last 4 are matched without core.parties.view_sensitive), or a "
                       "document number prefix (RC-, RN-, KL-, CV-...). Only the caller's estates.",
        "operationId": "search", "security": security,
        "parameters": [{"name": "q", "in": "query", "required": True,
                        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY}}],
        "responses": {"200": {"description": "Hits grouped (units, parties, then each plugin)", "content": {
            "application/json": {"schema": {"type": "object", "properties": {
                "query": {"type": "string"},
                "groups": {"type": "array", "items": {"type": "object", "properties": {
                    "title": {"type": "string"}, "hits": {"type": "array", "items": {"type": "object"}}}}}}}}}},
            **{k: errors[k] for k in ("401", "403", "422")}}}})
    for path, what, op in (("units", "unit", "unit_overview"), ("parties", "party", "party_overview")):
        api.path(path=f"/api/v1/{path}/{{ident}}/overview", operations={"get": {
            "tags": ["core"], "summary": f"The {what}'s page as JSON: facts, relations and every plugin's panels",
            "operationId": op, "security": security, "parameters": [id_param],
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": overview}}},
                          **{k: errors[k] for k in ("401", "403", "404")}}}})
