"""API routes of core documents (mounted under /api/v1):

* ``GET /api/v1/documents``: the documents of every enabled plugin (name, labels, model, permission,
  parameters) and whether the caller may print each;
* ``GET /api/v1/documents/<name>/<id>.pdf`` and ``.html``: one issue of a document (numbered the
  first time, a reprint after), with its parameters in the query string (``?period=2026-12``) and ``lang`` (``zh_CN`` or ``en``).

Same checks as the admin: without the permission 403, a record outside the caller's estates 404,
an unknown parameter or a bad value 422 naming it.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from core.documents import documents_of, get_document, load_record, render_html, render_pdf
from core.errors import NotFound, ValidationError
from core.security.grants import has_permission, require
from core.web.api.resources import MAX_ID, api_call
from core.web.context import actor, db, wuye


@api_call
def list_documents():
    """Every document of the enabled plugins, with ``allowed`` for the caller."""
    session, user = db(), actor()
    docs = sorted(documents_of(wuye()).values(), key=lambda d: (d.order, d.name))
    return {"documents": [
        {"name": d.name, "label": d.label, "label_zh": d.label_zh, "model": d.model.__tablename__,
         "permission": d.permission, "numbered": bool(d.numbered or d.number), "page_size": d.page_size,
         "params": [{"name": k, "label": en, "label_zh": zh} for k, (en, zh) in d.params.items()],
         "batch": d.batch is not None, "allowed": has_permission(session, user, d.permission)}
        for d in docs]}


def _issue(name: str, ident: int, fmt: str):
    session, user = db(), actor()
    doc = get_document(session, name)
    require(session, user, doc.permission)
    if not (0 < ident <= MAX_ID):  # beyond a 32-bit key PostgreSQL would refuse the comparison
        raise NotFound(f"no {doc.model.__name__} with id {ident}")
    record = load_record(session, user, doc.model, ident)
    params = dict(request.args.items())
    lang = params.pop("lang", None)
    if lang not in (None, "zh_CN", "en"):
        raise ValidationError({"lang": ["Use zh_CN (Chinese, the default) or en."]})
    if fmt == "pdf":
        body = render_pdf(session, user, name, record, params=params, lang=lang)
        response = Response(body, mimetype="application/pdf",
                            headers={"Content-Disposition": f'inline; filename="{name}-{ident}.pdf"'})
    else:
        response = Response(render_html(session, user, name, record, params=params, lang=lang), mimetype="text/html")
    session.commit()  # the issue log
    return response


@api_call
def document_pdf(name: str, ident: int):
    return _issue(name, ident, "pdf")


@api_call
def document_html(name: str, ident: int):
    return _issue(name, ident, "html")


def blueprint():
    """A Flask Blueprint mounted under /api/v1."""
    bp = Blueprint("documents_api", __name__)
    bp.add_url_rule("/documents", "list", list_documents, methods=["GET"])
    bp.add_url_rule("/documents/<name>/<int:ident>.pdf", "pdf", document_pdf, methods=["GET"])
    bp.add_url_rule("/documents/<name>/<int:ident>.html", "html", document_html, methods=["GET"])
    return bp


def document_paths(api, errors: dict, security: list, id_param: dict, names: list[str]) -> None:
    """Add the documents operations to the OpenAPI document (``build_openapi`` calls this);
    ``names`` are the documents of the enabled plugins."""
    item = {"type": "object", "properties": {
        "name": {"type": "string"}, "label": {"type": "string"}, "label_zh": {"type": "string"},
        "model": {"type": "string"}, "permission": {"type": "string"}, "numbered": {"type": "boolean"},
        "page_size": {"type": "string"}, "batch": {"type": "boolean"}, "allowed": {"type": "boolean"},
        "params": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "label": {"type": "string"}, "label_zh": {"type": "string"}}}}}}
    api.path(path="/api/v1/documents", operations={"get": {
        "tags": ["core"], "summary": "The printable documents (打印单据) of the enabled plugins",
        "description": "Each with its parameters and whether the caller may print it (see docs/documents.md).",
        "operationId": "documents", "security": security,
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"documents": {"type": "array", "items": item}}}}}},
            **{k: errors[k] for k in ("401",)}}}})
    name = {"name": "name", "in": "path", "required": True, "description": "the document, e.g. billing.receipt",
            "schema": {"type": "string", "enum": names} if names else {"type": "string"}}
    query = [{"name": "lang", "in": "query", "required": False, "schema": {"type": "string", "enum": ["zh_CN", "en"]}},
             {"name": "period", "in": "query", "required": False, "description": "YYYY-MM, for documents taking it",
              "schema": {"type": "string"}}]
    for fmt, mime, schema in (("pdf", "application/pdf", {"type": "string", "format": "binary"}),
                              ("html", "text/html", {"type": "string"})):
        api.path(path=f"/api/v1/documents/{{name}}/{{ident}}.{fmt}", operations={"get": {
            "tags": ["core"], "summary": f"One issue of a document for a record, as {fmt.upper()}",
            "description": "Numbered the first time, a reprint (补打) with the same number after. Needs the "
                           "document's permission; a record outside the caller's estates is 404.",
            "operationId": f"document_{fmt}", "security": security, "parameters": [name, id_param, *query],
            "responses": {"200": {"description": "OK", "content": {mime: {"schema": schema}}},
                          **{k: errors[k] for k in ("401", "403", "404", "422")}}}})
