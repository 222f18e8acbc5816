"""API routes of intake beyond the generated resources ``/intakes`` and ``/incidents`` (under /api/v1).

* ``POST /intakes/<id>/route`` — hand the record to the plugin that handles its category;
* ``POST /intakes/<id>/answer`` ``{"reply": "..."}`` — answer it at the front desk;
* ``POST /intakes/<id>/close`` ``{"reason": "..."}`` — close it: nothing more to do (wrong number);
* ``GET /intakes/<id>/duplicates`` — open records that may report the same happening;
* ``POST /intakes/<id>/merge`` ``{"incident_id": 7}`` or ``{"title": "3栋停水"}`` — merge it into an open
  incident, or open one from it;
* ``POST /incidents/<id>/merge`` ``{"intake_ids": [1, 2, 3]}`` — merge several reports at once;
* ``POST /incidents/<id>/resolve`` ``{"resolution": "..."}`` — resolve it and tell every reporter.

A record outside the caller's estates is 404; bad input is 422 naming the field; a record in the
wrong state (already routed, incident resolved) is 409. Nothing changes when a call fails.
"""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import select

from core.errors import NotFound
from core.intake import (
    answer_intake,
    close_intake,
    find_possible_duplicates,
    incident_from_intake,
    merge_into_incident,
    reporters_of,
    resolve_incident,
    route_intake,
)
from core.intake.schemas import CloseSchema, MergeSchema, ReplySchema, ResolveSchema
from core.models.intake import Incident, Intake
from core.scoping import get_scoped, scope
from core.security.grants import require
from core.validation import load
from core.web.api.resources import MAX_ID, Resource, _json_body, api_call
from core.web.context import actor, db

_DUMPERS: dict[type, Resource] = {}


def _dump(record) -> dict:
    """The record as its generated resource shows it (phones masked for who may not see them)."""
    model = type(record)
    if model not in _DUMPERS:
        from core.web.intake_specs import api_specs

        _DUMPERS.update({spec.model: Resource(spec) for spec in api_specs()})
    return _DUMPERS[model].dump(record)


def _get(model, ident: int, what: str):
    if not (0 < ident <= MAX_ID):
        raise NotFound(f"no {what} with id {ident}")
    try:
        return get_scoped(db(), actor(), model, ident)
    except NotFound:
        raise NotFound(f"no {what} with id {ident}") from None


def _intake(ident: int) -> Intake:
    require(db(), actor(), "core.intake.view")
    return _get(Intake, ident, "reception record")


def _incident(ident: int) -> Incident:
    require(db(), actor(), "core.intake.view")
    return _get(Incident, ident, "incident")


@api_call
def route(ident: int):
    intake = _intake(ident)
    with db().begin_nested():
        record = route_intake(db(), intake, actor())
    body = {"intake": _dump(intake), "routed": {"table": intake.routed_table, "id": intake.routed_id,
                                                "label": str(record)}}
    db().commit()
    return body


@api_call
def answer(ident: int):
    intake = _intake(ident)
    data = load(ReplySchema, _json_body())
    with db().begin_nested():
        answer_intake(db(), intake, actor(), data["reply"])
    body = _dump(intake)
    db().commit()
    return body


@api_call
def close(ident: int):
    intake = _intake(ident)
    data = load(CloseSchema, _json_body())
    with db().begin_nested():
        close_intake(db(), intake, actor(), data["reason"])
    body = _dump(intake)
    db().commit()
    return body


@api_call
def duplicates(ident: int):
    intake = _intake(ident)
    rows = find_possible_duplicates(db(), intake)
    return {"items": [_dump(r) for r in rows]}


@api_call
def merge(ident: int):
    intake = _intake(ident)
    data = load(MergeSchema, {"intake_ids": [intake.id], **_json_body()})
    with db().begin_nested():
        if data.get("incident_id") is not None:
            incident = _get(Incident, data["incident_id"], "incident")
            merge_into_incident(db(), actor(), incident, [intake])
        else:
            incident = incident_from_intake(db(), actor(), intake, data.get("title", ""))
    body = _incident_body(incident)
    db().commit()
    return body


@api_call
def merge_many(ident: int):
    incident = _incident(ident)
    data = load(MergeSchema, _json_body())
    ids = list(dict.fromkeys(data["intake_ids"]))
    found = {i.id: i for i in db().scalars(scope(select(Intake).where(Intake.id.in_(ids)), actor(), Intake,
                                                  session=db()))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"no reception record with id {missing[0]}")
    with db().begin_nested():
        merge_into_incident(db(), actor(), incident, [found[i] for i in ids])
    body = _incident_body(incident)
    db().commit()
    return body


@api_call
def resolve(ident: int):
    incident = _incident(ident)
    data = load(ResolveSchema, _json_body())
    with db().begin_nested():
        deliveries = resolve_incident(db(), actor(), incident, data["resolution"])
    body = {**_incident_body(incident), "notified": len(deliveries)}
    db().commit()
    return body


def _incident_body(incident: Incident) -> dict:
    reporters = reporters_of(db(), incident)
    return {"incident": _dump(incident), "intake_ids": [i.id for i in incident.intakes],
            "reporters": {"parties": len(reporters.party_ids), "phone_only": len(reporters.phones)}}


def blueprint():
    """The action routes, mounted under /api/v1."""
    bp = Blueprint("intake_api", __name__)
    bp.add_url_rule("/intakes/<int:ident>/route", "route", route, methods=["POST"])
    bp.add_url_rule("/intakes/<int:ident>/answer", "answer", answer, methods=["POST"])
    bp.add_url_rule("/intakes/<int:ident>/close", "close", close, methods=["POST"])
    bp.add_url_rule("/intakes/<int:ident>/duplicates", "duplicates", duplicates, methods=["GET"])
    bp.add_url_rule("/intakes/<int:ident>/merge", "merge", merge, methods=["POST"])
    bp.add_url_rule("/incidents/<int:ident>/merge", "merge_many", merge_many, methods=["POST"])
    bp.add_url_rule("/incidents/<int:ident>/resolve", "resolve", resolve, methods=["POST"])
    return bp


def _body(properties: dict, required: tuple[str, ...] = ()) -> dict:
    schema: dict = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return {"required": bool(required), "content": {"application/json": {"schema": schema}}}


def document_paths(api, errors: dict, security: list, id_param: dict) -> None:
    """Add the intake action routes to the OpenAPI document (``build_openapi`` calls this)."""
    obj = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
    text = lambda n: {"type": "string", "minLength": 1, "maxLength": n}  # noqa: E731
    ident = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    changing = {k: errors[k] for k in ("400", "401", "403", "404", "409", "422")}
    ops = [
        ("/intakes/{ident}/route", "post", "routeIntake", "Route a new reception record to the plugin that handles "
         "its category (422 on category when none is enabled)", None),
        ("/intakes/{ident}/answer", "post", "answerIntake", "Answer a new reception record at the front desk",
         _body({"reply": text(4000)}, ("reply",))),
        ("/intakes/{ident}/close", "post", "closeIntake", "Close a new reception record that needs nothing more "
         "(wrong number, repeat call); the reason is kept as its reply", _body({"reason": text(4000)}, ("reason",))),
        ("/intakes/{ident}/duplicates", "get", "intakeDuplicates", "Open reception records that may report the "
         "same happening (same estate and category, within 6 hours)", None),
        ("/intakes/{ident}/merge", "post", "mergeIntake", "Merge a new reception record into an open incident "
         "(incident_id), or open an incident from it (title)",
         _body({"incident_id": ident, "title": {"type": "string", "maxLength": 200}})),
        ("/incidents/{ident}/merge", "post", "mergeIntoIncident", "Merge new reception records of the incident's "
         "estate into it", _body({"intake_ids": {"type": "array", "items": ident, "minItems": 1, "maxItems": 1000}},
                                 ("intake_ids",))),
        ("/incidents/{ident}/resolve", "post", "resolveIncident", "Resolve an incident and every report merged into "
         "it; each reporter known as a party is told by SMS once", _body({"resolution": text(4000)}, ("resolution",))),
    ]
    for path, method, op_id, summary, body in ops:
        op = {"tags": ["core"], "summary": summary, "operationId": op_id, "security": security,
              "parameters": [id_param],
              "responses": {"200": obj, **(changing if method == "post" else
                                           {k: errors[k] for k in ("401", "403", "404")})}}
        if body is not None:
            op["requestBody"] = body
        api.path(path=f"/api/v1{path}", operations={method: op})
