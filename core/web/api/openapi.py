"""The OpenAPI 3 document served at ``/api/v1/openapi.json``, built from the same marshmallow schemas
that validate the input, so the document says what the API does.

For every resource (component names from its path, ``keys/key-sets`` → ``KeysKeySets``):

* ``KeysKeySets`` — a record as returned: every field the schema dumps (not its load-only ones),
  ``id``, and for workflow records ``allowed_transitions``; a field is nullable when its column is
  (or the field allows None); decimals are strings (``"120.50"``, format ``decimal``), as Flask sends
  them; further properties may be added in later versions, so clients must ignore unknown ones;
* ``KeysKeySetsCreate`` — the ``POST`` body: the loadable fields, required as the schema says,
  unknown fields refused (422);
* ``KeysKeySetsUpdate`` — the ``PATCH`` body: the same fields, none required, at least one;
* one path per workflow transition, ``POST .../{ident}/transitions/<name>``, whose body is the
  transition's own schema (``Transition(schema=...)``) plus ``comment``.
"""

from __future__ import annotations

import importlib.metadata
from decimal import Decimal

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import RAISE, fields
from sqlalchemy import Boolean, Date, Enum, Integer, Numeric
from sqlalchemy import inspect as sa_inspect

from core.errors import PluginError
from core.web.api.resources import DEFAULT_PER_PAGE, MAX_ID, MAX_PER_PAGE, transition_schema

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
    "400": _error("Malformed request (invalid JSON, nested too deeply, missing CSRF header with a session cookie)"),
    "401": _error("Missing, unknown, expired or revoked token"),
    "403": _error("The user lacks the permission"),
    "404": _error("No such record, or one outside the user's estates"),
    "409": _error("Conflict with the record's state"),
    "413": _error("Request too large"),
    "422": _error("Invalid input: field messages in errors"),
}

NUMERIC_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
TEXT_CONSTRAINTS = ("pattern", "format", "minLength", "maxLength")
DECIMAL_DIGITS = 15  # whole digits a decimal may have when its field gives no maximum


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


def _decimal_schema(field: fields.Decimal, prop: dict) -> dict:
    """A decimal travels as a string (``"88.50"``): Flask writes Decimal values as strings."""
    from marshmallow import validate

    low = high = None
    for v in field.validators:
        if isinstance(v, validate.Range):
            low = v.min if v.min is not None else low
            high = v.max if v.max is not None else high
    digits = len(str(int(abs(high)))) if high is not None else DECIMAL_DIGITS
    sign = "" if low is not None and low >= 0 else "-?"
    places = field.places
    if isinstance(places, Decimal):  # marshmallow 4 keeps the quantum, Decimal("0.01")
        places = -places.as_tuple().exponent
    places = f"{{1,{places}}}" if places else "+"
    out = {k: v for k, v in prop.items() if k not in NUMERIC_KEYWORDS and k not in ("type", "format")}
    out.update({"type": "string", "format": "decimal", "pattern": rf"^{sign}\d{{1,{digits}}}(\.\d{places})?$"})
    if "default" in out and out["default"] is not None:
        out["default"] = str(out["default"])
    return out


class SchemaDoc:
    """Marshmallow schemas as JSON schemas for requests (what may be sent) and responses (what is
    returned). apispec converts the plain fields; nested schemas are written inline, once per side."""

    def __init__(self):
        plugin = MarshmallowPlugin()
        APISpec(title="fields", version="0", openapi_version="3.0.3", plugins=[plugin])
        self._fields = plugin.converter

    # --- one field -------------------------------------------------------------------------
    def _nested(self, field):
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested) and not isinstance(inner, fields.Pluck):
            return inner
        return None

    def _leaf(self, field) -> dict:
        prop = self._fields.field2property(field)
        prop.pop("readOnly", None)
        prop.pop("writeOnly", None)
        if isinstance(field, fields.Decimal):
            prop = _decimal_schema(field, prop)
        if isinstance(field, fields.List) and isinstance(field.inner, fields.Decimal):
            prop["items"] = _decimal_schema(field.inner, prop.get("items", {}))
        if "type" not in prop and prop.get("enum") and all(isinstance(v, str | None) for v in prop["enum"]):
            prop["type"] = "string"
        return prop

    def _request_field(self, field) -> dict:
        nested = self._nested(field)
        if nested is None:
            return self._leaf(field)
        body = self.request(nested.schema)
        if isinstance(field, fields.List) or nested.many:
            prop = {"type": "array", "items": body}
            prop.update({k: v for k, v in self._leaf_list_bounds(field).items()})
        else:
            prop = body
        if field.allow_none:
            prop["nullable"] = True
        return prop

    def _leaf_list_bounds(self, field) -> dict:
        from marshmallow import validate

        out = {}
        for v in field.validators:
            if isinstance(v, validate.Length):
                if v.min is not None:
                    out["minItems"] = v.min
                if v.max is not None:
                    out["maxItems"] = v.max
        return out

    def _response_field(self, field, attr: str, model, sensitive: bool) -> dict:
        nested = self._nested(field)
        target = _related_model(model, attr)
        if nested is not None:
            body = self.response(nested.schema, target)
            prop = {"type": "array", "items": body} if isinstance(field, fields.List) or nested.many else body
        else:
            prop = self._leaf(field)
            prop.pop("default", None)
            if sensitive:  # masked for most readers: "139****0000"
                for key in TEXT_CONSTRAINTS:
                    prop.pop(key, None)
        # apispec marks allow_none (an input rule) nullable; what is returned follows the column
        prop.pop("nullable", None)
        if "enum" in prop:
            prop["enum"] = [v for v in prop["enum"] if v is not None]
        if _nullable_in_response(field, attr, model):
            prop["nullable"] = True
            if "enum" in prop:
                prop["enum"] = [*prop["enum"], None]
        return prop

    # --- whole schemas ---------------------------------------------------------------------
    def request(self, schema, *, partial: bool = False) -> dict:
        """What may be sent: the loadable fields (by their data keys); unknown ones refused."""
        instance = schema() if isinstance(schema, type) else schema
        props, required = {}, []
        for name, field in instance.load_fields.items():
            key = field.data_key or name
            props[key] = self._request_field(field)
            if field.required and not partial:
                required.append(key)
        out: dict = {"type": "object", "properties": props}
        if required:
            out["required"] = required
        if instance.unknown == RAISE:
            out["additionalProperties"] = False
        if partial:
            out["minProperties"] = 1
        return out

    def response(self, schema, model=None, *, sensitive: tuple[str, ...] = (), transitions=None) -> dict:
        """What is returned: the dumped fields (columns always present), ``id`` and, for workflow
        records, ``allowed_transitions``. Other properties may appear in later versions."""
        instance = schema() if isinstance(schema, type) else schema
        props, required = {}, []
        for name, field in instance.dump_fields.items():
            key = field.data_key or name
            attr = field.attribute or name
            props[key] = self._response_field(field, attr, model, key in sensitive or name in sensitive)
            if _always_present(model, attr):
                required.append(key)
        if model is not None and "id" not in props:
            props["id"] = {"type": "integer"}
            required.append("id")
        if transitions is not None:
            props["allowed_transitions"] = {
                "type": "array", "items": {"type": "string", "enum": list(transitions)},
                "description": "the transitions this user may apply now"}
            required.append("allowed_transitions")
        out: dict = {"type": "object", "properties": props}
        if required:
            out["required"] = required
        return out


def _mapper(model):
    if model is None:
        return None
    try:
        return sa_inspect(model)
    except Exception:  # noqa: BLE001 - not a mapped class
        return None


def _related_model(model, attr: str):
    mapper = _mapper(model)
    rel = mapper.relationships.get(attr) if mapper is not None else None
    return rel.mapper.class_ if rel is not None else None


def _always_present(model, attr: str) -> bool:
    mapper = _mapper(model)
    return mapper is not None and (attr in mapper.column_attrs or attr in mapper.relationships)


def _nullable_in_response(field, attr: str, model) -> bool:
    """Whether a dumped value may be null: its column says (``allow_none`` is about input); a value
    with no column behind it (a Python property, a nested object without a model) may be."""
    mapper = _mapper(model)
    if mapper is None:
        return True
    if attr in mapper.relationships:
        rel = mapper.relationships[attr]
        return not rel.uselist and any(c.nullable for c in rel.local_columns)
    column_attr = mapper.column_attrs.get(attr)
    if column_attr is None:
        return True  # a Python property: may be None
    return any(c.nullable for c in column_attr.columns)


def build_openapi(wuye, specs: list) -> dict:
    try:
        version = importlib.metadata.version("wuye")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - source checkout
        version = "0"
    api = APISpec(title="Wuye API", version=version, openapi_version="3.0.3",
                  info={"description": "Property-management records of the enabled plugins. Authenticate with "
                                       "'Authorization: Bearer <token>' (`wuye tokens create USER`). Decimals "
                                       "are strings (\"120.50\"); records may gain properties in later "
                                       "versions."},
                  servers=[{"url": "/"}])
    api.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.components.schema("Error", ERROR_SCHEMA)
    doc = SchemaDoc()
    taken: set[str] = {"Error"}
    security = [{"bearerAuth": []}]
    id_param = {"name": "ident", "in": "path", "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
    problems: list[str] = []
    for plugin, spec, sensitive in specs:
        name = _component_name(spec, taken)
        wf = wuye.registry.workflows.get(spec.workflow or "")
        names = None
        if wf is not None:  # allowed_transitions lists those of every workflow over the model
            flows = [w for w in wuye.registry.workflows.values() if issubclass(spec.model, w.model)]
            names = list(dict.fromkeys(t.name for w in flows for t in w.transitions))
        api.components.schema(name, doc.response(spec.schema, spec.model, sensitive=sensitive, transitions=names))
        page_name = name + "Page"
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
        ] + [{"name": f, "in": "query", "schema": _param_schema(columns[f])} for f in spec.filters] + [
            {"name": f, "in": "query", "schema": schema} for f, (_clause, schema) in spec.filter_clauses.items()]
        ok = {"description": "OK", "content": {"application/json": {"schema": _ref(name)}}}
        ops = {"get": {"tags": [tag], "summary": f"List {spec.path}", "operationId": f"list_{name}",
                       "parameters": params, "security": security,
                       "responses": {"200": {"description": "A page",
                                             "content": {"application/json": {"schema": _ref(page_name)}}},
                                     **{k: ERRORS[k] for k in ("401", "403", "422")}}}}
        if spec.can_create:
            taken.add(name + "Create")
            api.components.schema(name + "Create", doc.request(spec.schema))
            ops["post"] = {"tags": [tag], "summary": f"Create one of {spec.path}", "operationId": f"create_{name}",
                           "security": security,
                           "requestBody": {"required": True,
                                           "content": {"application/json": {"schema": _ref(name + "Create")}}},
                           "responses": {"201": {**ok, "description": "Created"}, **ERRORS}}
        api.path(path=f"/api/v1/{spec.path}", operations=ops)
        one = {"get": {"tags": [tag], "summary": f"One of {spec.path}", "operationId": f"get_{name}",
                       "parameters": [id_param], "security": security,
                       "responses": {"200": ok, **{k: ERRORS[k] for k in ("401", "403", "404")}}}}
        if spec.can_update:
            taken.add(name + "Update")
            api.components.schema(name + "Update", doc.request(spec.schema, partial=True))
            one["patch"] = {"tags": [tag], "summary": f"Change one of {spec.path} (only the fields sent)",
                            "operationId": f"update_{name}", "parameters": [id_param], "security": security,
                            "requestBody": {"required": True, "content": {"application/json": {
                                "schema": _ref(name + "Update")}}},
                            "responses": {"200": ok, **ERRORS}}
        api.path(path=f"/api/v1/{spec.path}/{{ident}}", operations=one)
        for t in (wf.transitions if wf is not None else ()):
            try:
                body = doc.request(transition_schema(t))
            except TypeError as exc:
                problems.append(f"plugin '{plugin}': workflow '{wf.name}': {exc}")
                continue
            words = "".join(part.capitalize() for part in t.name.split("_"))
            body_name = f"{name}{words}Body"
            taken.add(body_name)
            api.components.schema(body_name, body)
            label = t.label or t.name
            api.path(path=f"/api/v1/{spec.path}/{{ident}}/transitions/{t.name}", operations={"post": {
                "tags": [tag], "summary": f"{label} ({spec.path} transition '{t.name}')",
                "description": f"Needs the permission '{t.permission}'; applies from "
                               f"{', '.join(repr(s) for s in t.sources)} to '{t.target}'.",
                "operationId": f"{t.name}_{name}", "security": security, "parameters": [id_param],
                "requestBody": {"required": bool(body.get("required")),
                                "content": {"application/json": {"schema": _ref(body_name)}}},
                "responses": {"200": ok, **ERRORS}}})
    from core.web.api.workplace import document_paths  # search and the unit/party overviews (issue 15)

    document_paths(api, ERRORS, security, id_param)
    from core.web.api import dashboards  # the inbox and the dashboards (issue 15)

    dashboards.document_paths(api, ERRORS, security)
    from core.documents import documents_of
    from core.web.api import documents  # printable documents (issue 16)

    documents.document_paths(api, ERRORS, security, id_param, sorted(documents_of(wuye)))
    from core.web.api import assignment, attachments, intake  # the front door (issue 17)

    assignment.document_paths(api, ERRORS, security)
    intake.document_paths(api, ERRORS, security, id_param)
    attachments.document_paths(api, ERRORS, security, id_param, wuye, specs)
    if problems:
        raise PluginError(problems)
    return _numbers_as_numbers(api.to_dict())


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
