"""API of the archive plugin under ``/api/v1/archive/...``.

Generated resources: ``archives``, ``documents``, ``access-requests`` (with the workflow's
transitions), ``access-events`` (the log, managers), ``census-rounds`` and ``census-entries``. A
blueprint adds the actions: ``GET archives/<id>/open[?section=identity&reason=...]`` (opens the
archive or one part; a refusal is logged, committed and answered 403), ``GET
archives/<id>/completeness``, ``POST archives/<id>/close``, ``GET incomplete``, ``GET retention``,
``POST census-entries/<id>/check`` and ``POST census-rounds/<id>/close``.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from marshmallow import ValidationError as SchemaError

from core import (
    ApiResourceSpec,
    NotFound,
    ValidationError,
    WuyeError,
    estate_today,
    get_scoped,
    request_actor,
    request_session,
    utcnow,
)
from core.models import Estate, Party, Unit
from plugins.archive import access, archives, census
from plugins.archive.models import (
    ArchiveAccessEvent,
    ArchiveAccessRequest,
    ArchiveDocument,
    CensusEntry,
    CensusRound,
    OwnerArchive,
)
from plugins.archive.schemas import (
    AccessEventSchema,
    AccessRequestSchema,
    ArchiveDocumentSchema,
    CensusEntrySchema,
    CensusRoundSchema,
    OpenSectionSchema,
    OwnerArchiveSchema,
)


# --- services the generated screens and resources call -------------------------------------
def create_archive(session, actor, data: dict):
    unit = get_scoped(session, actor, Unit, data["unit_id"])
    party = get_scoped(session, actor, Party, data["party_id"])
    return archives.register_archive(session, actor, unit, party, opened_on=data.get("opened_on"),
                                     location=data.get("location") or "", remarks=data.get("remarks") or "")


def create_document(session, actor, data: dict):
    archive = get_scoped(session, actor, OwnerArchive, data["archive_id"])
    return archives.file_document(session, actor, archive, data["doc_type"], title=data.get("title") or "",
                                  dated_on=data.get("dated_on"), pages=data.get("pages", 1),
                                  sensitivity=data.get("sensitivity"))


def create_request(session, actor, data: dict):
    archive = get_scoped(session, actor, OwnerArchive, data["archive_id"])
    return access.request_access(session, actor, archive, data.get("section") or "identity", data["reason"])


def create_round(session, actor, data: dict):
    estate = get_scoped(session, actor, Estate, data["estate_id"])
    return census.open_round(session, actor, estate)


# --- the actions blueprint ----------------------------------------------------------------
def _db():
    return request_session()


def _error(exc: WuyeError):
    _db().rollback()
    errors = getattr(exc, "errors", None)
    body = {"error": str(exc) if errors is None else "invalid input", "status": exc.http_status}
    if errors is not None:
        body["errors"] = {k: [str(m) for m in v] for k, v in errors.items()}
    return jsonify(body), exc.http_status


def _load(schema, raw) -> dict:
    if raw is not None and not isinstance(raw, dict):
        raise ValidationError("send a JSON object")
    try:
        return schema().load(raw or {})
    except SchemaError as exc:
        raise ValidationError(exc.messages_dict) from None


def _get(model, ident: int):
    if not 0 < ident < 2**31:
        raise NotFound(f"no record with id {ident}")
    return get_scoped(_db(), request_actor(), model, ident)


def _call(fn):
    def wrapper(*args, **kwargs):
        try:
            out = fn(*args, **kwargs)
            _db().commit()
            return out
        except WuyeError as exc:
            return _error(exc)

    wrapper.__name__ = fn.__name__
    return wrapper


def _section_json(result: access.SectionAccess) -> dict:
    if result.granted:
        return {**result.section.as_dict(), "granted": True}
    return {"key": result.key, "granted": False, "message": str(result.message),
            "message_en": getattr(result.message, "en", str(result.message))}


def open_view(ident: int):
    """Open the archive (or ``?section=``): the log row is committed even when access is refused."""
    session, actor = _db(), request_actor()
    try:
        query = _load(OpenSectionSchema, request.args.to_dict())
        archive = _get(OwnerArchive, ident)
        now = utcnow()
        if query["section"]:
            results = [access.open_section(session, actor, archive, query["section"], now=now,
                                           reason=query["reason"])]
        else:
            results = access.open_archive(session, actor, archive, now=now, reason=query["reason"])
    except WuyeError as exc:
        return _error(exc)
    session.commit()  # the access log, granted or refused, is kept
    refused = not results[0].granted and (bool(query["section"]) or results[0].key == "archive")
    body = {"archive_id": archive.id, "number": archive.number, "sections": [_section_json(r) for r in results]}
    if refused:
        body.update(error=str(results[0].message), status=403, logged=True)
        return jsonify(body), 403
    return jsonify(body)


@_call
def completeness(ident: int):
    archive = _get(OwnerArchive, ident)
    found = archives.completeness(_db(), archive)
    return {**found, "missing": [t.value for t in found["missing"]]}


@_call
def close(ident: int):
    return OwnerArchiveSchema().dump(archives.close_archive(_db(), request_actor(), _get(OwnerArchive, ident)))


def _estate_arg() -> int | None:
    raw = request.args.get("estate_id")
    if raw is not None and not raw.isdigit():
        raise ValidationError({"estate_id": ["give the estate's id (a number)"]})
    return int(raw) if raw else None


@_call
def incomplete():
    rows = archives.incomplete_archives(_db(), request_actor(), estate_id=_estate_arg())
    return {"items": [{**OwnerArchiveSchema().dump(a), "missing": [t.value for t in missing]} for a, missing in rows]}


@_call
def retention():
    rows = archives.past_retention(_db(), request_actor(), today=estate_today(_db()))
    return {"items": [OwnerArchiveSchema().dump(a) for a in rows]}


@_call
def check(ident: int):
    data = _load(CensusEntrySchema, request.get_json(silent=True))
    entry = census.record_check(_db(), request_actor(), _get(CensusEntry, ident), data["result"].value,
                                data.get("notes") or "")
    return CensusEntrySchema().dump(entry)


@_call
def close_round(ident: int):
    return CensusRoundSchema().dump(census.close_round(_db(), request_actor(), _get(CensusRound, ident)))


def blueprint() -> Blueprint:
    bp = Blueprint("archive_api", __name__, url_prefix="/archive")
    bp.add_url_rule("/archives/<int:ident>/open", view_func=open_view, methods=["GET"])
    bp.add_url_rule("/archives/<int:ident>/completeness", view_func=completeness, methods=["GET"])
    bp.add_url_rule("/archives/<int:ident>/close", view_func=close, methods=["POST"])
    bp.add_url_rule("/incomplete", view_func=incomplete, methods=["GET"])
    bp.add_url_rule("/retention", view_func=retention, methods=["GET"])
    bp.add_url_rule("/census-entries/<int:ident>/check", view_func=check, methods=["POST"])
    bp.add_url_rule("/census-rounds/<int:ident>/close", view_func=close_round, methods=["POST"])
    return bp


def api_resources() -> list:
    """The generated resources and the actions blueprint (``wuye_api_resources``)."""
    return [
        ApiResourceSpec(model=OwnerArchive, schema=OwnerArchiveSchema, path="archive/archives",
                        view_permission="archive.view", edit_permission="archive.manage",
                        filters=("estate_id", "status", "unit_id", "party_id"), create_service=create_archive,
                        can_update=False),
        ApiResourceSpec(model=ArchiveDocument, schema=ArchiveDocumentSchema, path="archive/documents",
                        view_permission="archive.view", edit_permission="archive.manage",
                        filters=("estate_id", "archive_id", "doc_type"), create_service=create_document,
                        can_update=False),
        ApiResourceSpec(model=ArchiveAccessRequest, schema=AccessRequestSchema, path="archive/access-requests",
                        view_permission="archive.request_access", edit_permission="archive.request_access",
                        filters=("estate_id", "archive_id", "status"), workflow="archive.access_request",
                        create_service=create_request, can_update=False),
        ApiResourceSpec(model=ArchiveAccessEvent, schema=AccessEventSchema, path="archive/access-events",
                        view_permission="archive.view_log", filters=("estate_id", "archive_id", "outcome"),
                        can_create=False, can_update=False),
        ApiResourceSpec(model=CensusRound, schema=CensusRoundSchema, path="archive/census-rounds",
                        view_permission="archive.view", edit_permission="archive.census",
                        filters=("estate_id", "status"), create_service=create_round, can_update=False),
        ApiResourceSpec(model=CensusEntry, schema=CensusEntrySchema, path="archive/census-entries",
                        view_permission="archive.view", filters=("estate_id", "round_id", "result"),
                        can_create=False, can_update=False),
        blueprint(),
    ]
