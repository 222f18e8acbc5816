"""The OpenAPI 3 document served at ``/api/v1/openapi.json``, built with apispec from the same schemas."""

from __future__ import annotations

import importlib.metadata

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import make_schema_key, resolve_schema_instance
from sqlalchemy import Boolean, Date, Enum, Integer, Numeric

from core.web.api.resources import DEFAULT_PER_PAGE, MAX_ID, MAX_PER_PAGE

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["status", "message"],
        "properties": {
            "status": {"type": "integer"},
            "message": {"type": "string"},
            "field": {"type": "string", "nullable": True},
            "errors": {"type": "object", "additionalProperties": True},
        },
    }},
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


ERRORS = {
    "400": _error("Malformed request (invalid JSON, missing CSRF header with a session cookie)"),
    "401": _error("Missing, unknown, expired or revoked token"),
    "403": _error("The user lacks the permission"),
    "404": _error("No such record, or one outside the user's estates"),
    "409": _error("Conflict with the record's state"),
    "413": _error("Request too large"),
    "422": _error("Invalid input: field messages in errors"),
}


def _param_schema(column) -> dict:
    ctype = column.type
    if isinstance(ctype, Enum):
        return {"type": "string", "enum": [str(v) for v in ctype.enums]}
    if isinstance(ctype, Boolean):
        return {"type": "boolean"}
    if isinstance(ctype, Integer):
        return {"type": "integer", "minimum": -MAX_ID, "maximum": MAX_ID}
    if isinstance(ctype, Numeric):
        return {"type": "string", "pattern": r"^-?\d{1,10}(\.\d+)?$"}
    if isinstance(ctype, Date):
        return {"type": "string", "format": "date"}
    length = getattr(ctype, "length", None)
    return {"type": "string", "maxLength": length} if length else {"type": "string"}


def _component_name(spec, taken: set[str]) -> str:
    base = "".join(part.capitalize() for part in spec.path.replace("-", "_").replace("/", "_").split("_"))
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    taken.add(name)
    return name


def build_openapi(wuye, specs: list) -> dict:
    try:
        version = importlib.metadata.version("wuye")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - source checkout
        version = "0"
    marshmallow = MarshmallowPlugin()
    api = APISpec(title="Wuye API", version=version, openapi_version="3.0.3", plugins=[marshmallow],
                  info={"description": "Property-management records of the enabled plugins. Authenticate with "
                                       "'Authorization: Bearer <token>' (`wuye tokens create USER`)."},
                  servers=[{"url": "/"}])
    api.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.components.schema("Error", ERROR_SCHEMA)
    taken: set[str] = {"Error"}
    security = [{"bearerAuth": []}]
    id_param = {"name": "ident", "in": "path", "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
    for plugin, spec in specs:
        name = _component_name(spec, taken)
        key = make_schema_key(resolve_schema_instance(spec.schema))
        if key in marshmallow.converter.refs:  # already there (nested in another, or serving two paths)
            name = marshmallow.converter.refs[key]
        else:
            api.components.schema(name, schema=spec.schema)
        page_name = _component_name(spec, taken) + "Page"
        taken.add(page_name)
        api.components.schema(page_name, {
            "type": "object", "required": ["items", "per_page", "has_more"],
            "properties": {"items": {"type": "array", "items": _ref(name)},
                           "page": {"type": "integer", "nullable": True}, "per_page": {"type": "integer"},
                           "has_more": {"type": "boolean"}, "next": {"type": "string", "nullable": True}}})
        tag = plugin
        columns = spec.model.__table__.columns
        params = [
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100000,
                                                       "default": 1}},
            {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                           "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE}},
            {"name": "after", "in": "query", "description": "cursor: only ids greater than this",
             "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}},
        ] + [{"name": f, "in": "query", "schema": _param_schema(columns[f])} for f in spec.filters]
        ok = {"description": "OK", "content": {"application/json": {"schema": _ref(name)}}}
        body = {"required": True, "content": {"application/json": {"schema": _ref(name)}}}
        ops = {"get": {"tags": [tag], "summary": f"List {spec.path}", "operationId": f"list_{name}",
                       "parameters": params, "security": security,
                       "responses": {"200": {"description": "A page",
                                             "content": {"application/json": {"schema": _ref(page_name)}}},
                                     **{k: ERRORS[k] for k in ("401", "403", "422")}}}}
        if spec.can_create:
            ops["post"] = {"tags": [tag], "summary": f"Create one of {spec.path}", "operationId": f"create_{name}",
                           "security": security, "requestBody": body,
                           "responses": {"201": {**ok, "description": "Created"}, **ERRORS}}
        api.path(path=f"/api/v1/{spec.path}", operations=ops)
        one = {"get": {"tags": [tag], "summary": f"One of {spec.path}", "operationId": f"get_{name}",
                       "parameters": [id_param], "security": security,
                       "responses": {"200": ok, **{k: ERRORS[k] for k in ("401", "403", "404")}}}}
        if spec.can_update:
            one["patch"] = {"tags": [tag], "summary": f"Change one of {spec.path} (only the fields sent)",
                            "operationId": f"update_{name}", "parameters": [id_param], "security": security,
                            "requestBody": {"required": True, "content": {"application/json": {
                                "schema": {"type": "object"}}}},
                            "responses": {"200": ok, **ERRORS}}
        api.path(path=f"/api/v1/{spec.path}/{{ident}}", operations=one)
        wf = wuye.registry.workflows.get(spec.workflow or "")
        if wf is not None:
            names = [t.name for t in wf.transitions]
            api.path(path=f"/api/v1/{spec.path}/{{ident}}/transitions/{{name}}", operations={"post": {
                "tags": [tag], "summary": f"Run a workflow transition of {spec.path}",
                "operationId": f"transition_{name}", "security": security,
                "parameters": [id_param, {"name": "name", "in": "path", "required": True,
                                          "schema": {"type": "string", "enum": names}}],
                "requestBody": {"required": False, "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"comment": {"type": "string", "maxLength": 2000}},
                    "additionalProperties": True}}}},
                "responses": {"200": ok, **ERRORS}}})
    return _numbers_as_numbers(api.to_dict())


NUMERIC_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")


def _numbers_as_numbers(node):
    """apispec writes Decimal bounds as strings ("0.00"); OpenAPI wants numbers."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in NUMERIC_KEYWORDS and isinstance(value, str):
                number = float(value)
                value = int(number) if number.is_integer() else number
            out[key] = _numbers_as_numbers(value)
        return out
    if isinstance(node, list):
        return [_numbers_as_numbers(v) for v in node]
    return node
