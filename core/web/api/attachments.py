"""Attachments in the API (mounted under ``/api/v1``), for every model with the ``Attachable`` mixin:

* ``GET /attachments?record_table=<table>&record_id=<id>``: the record's files (metadata);
* ``POST /attachments?record_table=<table>&record_id=<id>``: multipart upload, files in ``file``
  (one or more), optional ``kind``; 201 with the new attachments;
* ``GET /<resource path>/<id>/attachments`` and ``POST`` the same: by the record's API resource
  (``/api/v1/atttest/reports/7/attachments``);
* ``GET /attachments/<id>``: metadata; ``/content``: the file; ``/thumbnail``: its thumbnail;
* ``DELETE /attachments/<id>``: removes it (the row stays for the trail; the file is deleted).

Access: the record resource's ``view_permission`` (or its admin screen's) to read, its
``edit_permission`` to upload and delete, within the caller's estates (another estate's record or
file is 404). A refused file is 422 naming ``file`` and what is accepted; nothing is stored then.
"""

from __future__ import annotations

from flask import Blueprint, request

from core.attachments import (
    TYPES,
    add_attachment,
    attachable_models,
    describe,
    get_attachment,
    limits_for,
    list_attachments,
    read,
    read_thumbnail,
    remove_attachment,
)
from core.attachments.checks import size_text
from core.errors import NotFound, ValidationError
from core.scoping import get_scoped
from core.security.grants import require
from core.text import Text
from core.web.admin.attachments import MAX_FILES, file_response
from core.web.api.resources import MAX_ID, api_call
from core.web.attachments_specs import access_rules, api_resource_paths
from core.web.context import actor, db, wuye


def _rule(model):
    rule = access_rules(api=True).get(model) if model is not None else None
    if rule is None:
        raise NotFound("no such record")
    return rule


def _record(model, raw_id):
    """The record of ``model`` with id ``raw_id`` if the caller may see it (404 otherwise) and its rule."""
    rule = _rule(model)
    require(db(), actor(), rule.view)
    try:
        ident = int(raw_id)
    except (TypeError, ValueError):
        raise ValidationError(Text("record_id must be the record's id, a whole number", "record_id 须为记录的编号（整数）"),
                              field="record_id") from None
    if not 0 < ident <= MAX_ID:
        raise NotFound(f"no record with id {ident}")
    return get_scoped(db(), actor(), model, ident), rule


def _by_table():
    table = request.args.get("record_table") or request.form.get("record_table") or ""
    raw_id = request.args.get("record_id") or request.form.get("record_id")
    if not table:
        raise ValidationError(Text("give record_table, the table of the record (e.g. repairs_orders)",
                                   "请给出 record_table（记录所在的表，例如 repairs_orders）"), field="record_table")
    model = attachable_models(wuye()).get(table)
    if model is None:
        raise ValidationError(Text(f"{table} takes no attachments; use one of: "
                                   f"{', '.join(attachable_models(wuye())) or 'none is enabled'}",
                                   f"{table} 不能添加附件"), field="record_table")
    if raw_id in (None, ""):
        raise ValidationError(Text("give record_id, the record's id", "请给出 record_id（记录编号）"), field="record_id")
    return _record(model, raw_id)


def _list(record):
    return {"items": [describe(a) for a in list_attachments(db(), record)]}


def _upload(record, rule):
    session, user = db(), actor()
    if not rule.edit:
        raise NotFound("this record's files cannot be changed through the API")
    require(session, user, rule.edit)
    files = [f for f in request.files.getlist("file") if f and f.filename]
    limits = limits_for(session, type(record))
    accepted = ", ".join(f".{TYPES[n].extensions[0]}" for n in limits["allowed"])
    if not files:
        raise ValidationError(Text(f"send the file as multipart/form-data in the part 'file' ({accepted}; at most "
                                   f"{size_text(limits['max_bytes'])})",
                                   f"请以 multipart/form-data 的 file 部分上传文件（{accepted}；不超过 "
                                   f"{size_text(limits['max_bytes'])}）"), field="file")
    if len(files) > MAX_FILES:
        raise ValidationError(Text(f"at most {MAX_FILES} files per request", f"每次最多 {MAX_FILES} 个文件"),
                              field="file")
    kind = request.form.get("kind", "")
    created = [add_attachment(session, user, record, f.filename, f.read(), kind=kind, permission=rule.edit)
               for f in files]
    session.commit()
    return {"items": [describe(a) for a in created]}, 201


@api_call
def list_for_table():
    record, _rule = _by_table()
    return _list(record)


@api_call
def upload():
    record, rule = _by_table()
    return _upload(record, rule)


def _by_path(resource: str, ident: int):
    model = api_resource_paths().get(resource)
    if model is None:
        raise NotFound(f"no resource {resource} with attachments")
    return _record(model, ident)


@api_call
def list_for(resource: str, ident: int):
    record, _rule = _by_path(resource, ident)
    return _list(record)


@api_call
def upload_for(resource: str, ident: int):
    record, rule = _by_path(resource, ident)
    return _upload(record, rule)


def _visible(ident: int):
    session, user = db(), actor()
    if not 0 < ident <= MAX_ID:
        raise NotFound(f"no attachment with id {ident}")
    att = get_attachment(session, user, ident)
    rule = _rule(attachable_models(wuye()).get(att.record_table))
    require(session, user, rule.view)
    return att, rule


@api_call
def one(ident: int):
    att, _rule = _visible(ident)
    return describe(att)


@api_call
def content(ident: int):
    att, _rule = _visible(ident)
    return file_response(read(db(), att), att.content_type, att.filename, download=True)


@api_call
def thumbnail(ident: int):
    att, _rule = _visible(ident)
    data, content_type = read_thumbnail(db(), att)
    return file_response(data, content_type, f"thumbnail-{att.id}")


@api_call
def delete(ident: int):
    att, rule = _visible(ident)
    if not rule.edit:
        raise NotFound("this record's files cannot be changed through the API")
    require(db(), actor(), rule.edit)
    remove_attachment(db(), actor(), att, permission=rule.edit)
    db().commit()
    return describe(att)


def blueprint():
    """The attachment routes, mounted under /api/v1."""
    bp = Blueprint("attachments_api", __name__)
    bp.add_url_rule("/attachments", "list", list_for_table, methods=["GET"])
    bp.add_url_rule("/attachments", "upload", upload, methods=["POST"])
    bp.add_url_rule("/attachments/<int:ident>", "one", one, methods=["GET"])
    bp.add_url_rule("/attachments/<int:ident>", "delete", delete, methods=["DELETE"])
    bp.add_url_rule("/attachments/<int:ident>/content", "content", content, methods=["GET"])
    bp.add_url_rule("/attachments/<int:ident>/thumbnail", "thumbnail", thumbnail, methods=["GET"])
    bp.add_url_rule("/<path:resource>/<int:ident>/attachments", "list_for", list_for, methods=["GET"])
    bp.add_url_rule("/<path:resource>/<int:ident>/attachments", "upload_for", upload_for, methods=["POST"])
    return bp


ATTACHMENT_SCHEMA = {"type": "object", "properties": {
    "id": {"type": "integer"}, "record_table": {"type": "string"}, "record_id": {"type": "string"},
    "estate_id": {"type": "integer", "nullable": True}, "filename": {"type": "string"},
    "content_type": {"type": "string"}, "size": {"type": "integer", "description": "bytes"},
    "size_text": {"type": "string"}, "kind": {"type": "string"}, "sha256": {"type": "string", "nullable": True},
    "width": {"type": "integer", "nullable": True}, "height": {"type": "integer", "nullable": True},
    "has_thumbnail": {"type": "boolean"}, "uploaded_by_id": {"type": "integer", "nullable": True},
    "uploaded_at": {"type": "string", "format": "date-time", "nullable": True},
    "removed_at": {"type": "string", "format": "date-time", "nullable": True},
    "removed_by_id": {"type": "integer", "nullable": True}}}


def document_paths(api, errors: dict, security: list, id_param: dict, wuye_instance, specs=()) -> None:
    """Add the attachment operations to the OpenAPI document (``build_openapi`` calls this); the
    description lists the tables that take attachments (``attachable_models``). ``specs`` are the
    ``(plugin, ApiResourceSpec, sensitive)`` of the document: attachable ones get
    ``/<path>/{ident}/attachments``."""
    attachable = attachable_models(wuye_instance)
    tables = ", ".join(attachable) or "none enabled"
    api.components.schema("Attachment", ATTACHMENT_SCHEMA)
    ref = {"$ref": "#/components/schemas/Attachment"}
    page = {"description": "OK", "content": {"application/json": {"schema": {
        "type": "object", "properties": {"items": {"type": "array", "items": ref}}}}}}
    target = [{"name": "record_table", "in": "query", "required": True, "description": f"one of: {tables}",
               "schema": {"type": "string"}},
              {"name": "record_id", "in": "query", "required": True,
               "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}]
    body = {"required": True, "content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "array", "items": {"type": "string", "format": "binary"}},
        "kind": {"type": "string", "description": "photo, drawing, contract, ... (the model's kinds)"}}}}}}
    api.path(path="/api/v1/attachments", operations={
        "get": {"tags": ["core"], "summary": "Files attached to a record", "operationId": "list_attachments",
                "description": f"Tables that take attachments: {tables}.", "parameters": target,
                "security": security, "responses": {"200": page, **{k: errors[k] for k in ("401", "403", "404", "422")}}},
        "post": {"tags": ["core"], "summary": "Attach files to a record (type checked by content, size limited)",
                 "operationId": "upload_attachments", "parameters": target, "security": security,
                 "requestBody": body, "responses": {"201": {**page, "description": "Created"}, **errors}}})
    one_ok = {"description": "OK", "content": {"application/json": {"schema": ref}}}
    api.path(path="/api/v1/attachments/{ident}", operations={
        "get": {"tags": ["core"], "summary": "An attachment's metadata", "operationId": "get_attachment",
                "parameters": [id_param], "security": security,
                "responses": {"200": one_ok, **{k: errors[k] for k in ("401", "403", "404")}}},
        "delete": {"tags": ["core"], "summary": "Remove an attachment (kept in the trail)",
                   "operationId": "delete_attachment", "parameters": [id_param], "security": security,
                   "responses": {"200": one_ok, **{k: errors[k] for k in ("401", "403", "404", "422")}}}})
    for plugin, spec, *_rest in specs:
        if spec.model not in attachable.values():
            continue
        api.path(path=f"/api/v1/{spec.path}/{{ident}}/attachments", operations={
            "get": {"tags": [plugin], "summary": f"Files attached to one of {spec.path}",
                    "operationId": f"list_attachments_{spec.path.replace('/', '_')}", "parameters": [id_param],
                    "security": security, "responses": {"200": page, **{k: errors[k] for k in ("401", "403", "404")}}},
            "post": {"tags": [plugin], "summary": f"Attach files to one of {spec.path}",
                     "operationId": f"upload_attachments_{spec.path.replace('/', '_')}", "parameters": [id_param],
                     "security": security, "requestBody": body,
                     "responses": {"201": {**page, "description": "Created"}, **errors}}})
    binary = {"type": "string", "format": "binary"}
    for what, summary, types in (("content", "The attached file (its recognised content type)", ("*/*",)),
                                 ("thumbnail", "The image's thumbnail", ("image/jpeg", "image/webp"))):
        api.path(path=f"/api/v1/attachments/{{ident}}/{what}", operations={"get": {
            "tags": ["core"], "summary": summary, "operationId": f"attachment_{what}", "parameters": [id_param],
            "security": security, "responses": {
                "200": {"description": "The bytes", "content": {t: {"schema": binary} for t in types}},
                **{k: errors[k] for k in ("401", "403", "404")}}}})
