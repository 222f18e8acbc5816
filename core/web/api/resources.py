"""Generic REST handlers for one :class:`~core.web.specs.ApiResourceSpec`.

``GET /<path>`` (filters, ``page``/``per_page`` or ``after`` cursor), ``POST /<path>``,
``GET|PATCH /<path>/<id>`` and ``POST /<path>/<id>/transitions/<name>``. Every query is scoped to
the actor's estates; a record outside them is 404, exactly like a missing one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import enum
import functools
import json
import re

from flask import request, url_for
from marshmallow import RAISE, Schema, fields, validate
from sqlalchemy import Boolean, Date, Enum, Integer, Numeric, String, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from core.errors import NotFound, PermissionDenied, ValidationError, WuyeError
from core.security.grants import require
from core.web import records
from core.web.api.errors import from_wuye_error, json_error
from core.web.context import actor, db, wuye
from core.web.integration import allowed_transitions, apply_transition, get_scoped, masked, scope

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25
MAX_OFFSET = 100_000  # deeper pages: use the ``after`` cursor
MAX_ID = 2**31 - 1
PAGING_PARAMS = ("page", "per_page", "after")


def api_call(fn):
    """Turn errors into uniform JSON, rolling the request's session back."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except WuyeError as exc:
            db().rollback()
            return from_wuye_error(exc)
        except SQLAlchemyError as exc:
            db().rollback()
            return json_error(409, f"the database refused the change ({type(exc).__name__}); nothing was saved")

    return wrapper


MAX_DEPTH = 32  # nesting of JSON arrays and objects in a request body


def _depth(value, limit: int) -> int:
    """How deep ``value`` nests (stops counting past ``limit``)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        if level > deepest:
            deepest = level
            if deepest > limit:
                break
        if isinstance(item, dict):
            todo.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            todo.extend((v, level + 1) for v in item)
    return deepest


def _json_body() -> dict:
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    if not request.is_json:
        raise ValidationError({"_schema": ["Send a JSON object with Content-Type: application/json."]})
    try:
        data = json.loads(raw)
    except RecursionError:
        raise WuyeError(f"the JSON body nests too deeply; at most {MAX_DEPTH} levels of arrays and objects") \
            from None  # 400
    except (ValueError, UnicodeDecodeError):
        raise WuyeError("the body is not valid JSON (UTF-8)") from None  # 400
    if _depth(data, MAX_DEPTH) > MAX_DEPTH:
        raise WuyeError(f"the JSON body nests too deeply; at most {MAX_DEPTH} levels of arrays and objects")
    if not isinstance(data, dict):
        raise ValidationError({"_schema": ["The body must be a JSON object."]})
    return data


def _coerce(column, raw: str):
    ctype = column.type
    if isinstance(ctype, Enum):
        allowed = [str(v) for v in (ctype.enums or [])]
        if raw not in allowed:
            raise ValueError(f"Must be one of: {', '.join(allowed)}.")
        return raw
    if isinstance(ctype, Boolean):
        if raw.lower() in ("true", "1", "yes"):
            return True
        if raw.lower() in ("false", "0", "no"):
            return False
        raise ValueError("Not a valid boolean.")
    if isinstance(ctype, Integer):
        if not re.fullmatch(r"-?\d{1,19}", raw) or abs(int(raw)) > MAX_ID:
            raise ValueError("Not a valid integer.")
        return int(raw)
    if isinstance(ctype, Numeric):
        try:
            value = decimal.Decimal(raw)
        except decimal.InvalidOperation:
            raise ValueError("Not a valid number.") from None
        if not value.is_finite() or abs(value) >= 10**12:
            raise ValueError("Not a valid number.")
        return value
    if isinstance(ctype, Date):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ValueError("Not a valid date (YYYY-MM-DD).") from None
    if isinstance(ctype, String):
        if len(raw) > (ctype.length or 1000) or "\x00" in raw:
            raise ValueError("Not a valid value.")
        return raw
    raise ValueError("This column cannot be filtered.")


def _int_param(name: str, default: int | None, lo: int, hi: int, errors: dict):
    raw = request.args.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"\d{1,10}", raw) or not (lo <= int(raw) <= hi):
        errors[name] = [f"Must be an integer between {lo} and {hi}."]
        return default
    return int(raw)


class Resource:
    """Handlers bound to one spec."""

    def __init__(self, spec, *, sensitive: tuple[str, ...] = ()):
        self.spec = spec
        self.model = spec.model
        self.sensitive = tuple(dict.fromkeys((*spec.sensitive_fields, *sensitive)))
        relationships = sa_inspect(self.model).relationships
        for name in spec.eager:
            if name not in relationships:
                raise ValueError(f"/{spec.path}: eager names '{name}', which is not a relationship of "
                                 f"{self.model.__name__} (one of: {', '.join(relationships.keys()) or 'none'})")
        # one instance for every response: building a marshmallow schema deep-copies its fields
        # (a fifth of a single-row GET); loading still makes a fresh one per request (records.load)
        self._dumper = spec.schema()
        self.load_options = tuple(joinedload(relationships[name].class_attribute) for name in spec.eager)

    # --- helpers -------------------------------------------------------------------------
    def _may_write(self):
        if not self.spec.edit_permission:
            raise PermissionDenied(f"/{self.spec.path} is read-only")
        require(db(), actor(), self.spec.edit_permission)

    def _get(self, ident: int):
        if not (0 < ident <= MAX_ID):
            raise NotFound(f"no {self.spec.path} record with id {ident}")
        try:
            return get_scoped(db(), actor(), self.model, ident, options=self.load_options)
        except NotFound:
            raise NotFound(f"no {self.spec.path} record with id {ident}") from None

    def dump(self, record) -> dict:
        data = self._dumper.dump(record)
        data.setdefault("id", record.id)
        for name in self.sensitive:
            if name in data and data[name]:
                kind = "phone" if "phone" in name else "id_number"
                data[name] = masked(db(), actor(), data[name], kind)
        for key, value in list(data.items()):
            if isinstance(value, enum.Enum):
                data[key] = value.value
        if self.spec.workflow:
            data["allowed_transitions"] = [t.name for t in allowed_transitions(db(), record, actor())]
        return data

    # --- handlers ------------------------------------------------------------------------
    @api_call
    def list(self):
        require(db(), actor(), self.spec.view_permission)
        errors: dict = {}
        names = (*self.spec.filters, *self.spec.filter_clauses)
        unknown = sorted(set(request.args) - set(names) - set(PAGING_PARAMS))
        for name in unknown:
            errors[name[:64]] = [f"Unknown query parameter; filters: {', '.join(names) or 'none'}."]
        page = _int_param("page", 1, 1, 100_000, errors)
        per_page = _int_param("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, errors)
        after = _int_param("after", None, 0, MAX_ID, errors)
        stmt = scope(select(self.model).options(*self.load_options), actor(), self.model)
        columns = self.model.__table__.columns
        for name in self.spec.filters:
            raw = request.args.get(name)
            if raw is None:
                continue
            try:
                stmt = stmt.where(columns[name] == _coerce(columns[name], raw))
            except ValueError as exc:
                errors[name] = [str(exc)]
        for name, (clause, _schema) in self.spec.filter_clauses.items():
            raw = request.args.get(name)
            if raw is None:
                continue
            try:
                stmt = stmt.where(clause(raw))
            except ValueError as exc:
                errors[name] = [str(exc)]
        if errors:
            raise ValidationError(errors)
        if (page - 1) * per_page > MAX_OFFSET:
            raise ValidationError({"page": [f"Too deep; use the 'after' cursor past {MAX_OFFSET} rows."]})
        stmt = stmt.order_by(self.model.id)
        if after is not None:
            stmt = stmt.where(self.model.id > after)
        else:
            stmt = stmt.offset((page - 1) * per_page)
        rows = list(db().scalars(stmt.limit(per_page + 1)))
        has_more = len(rows) > per_page
        rows = rows[:per_page]
        args = {k: v for k, v in request.args.items() if k not in PAGING_PARAMS}
        nxt = None
        if has_more:
            nxt = url_for(request.endpoint, per_page=per_page, after=rows[-1].id, **args) if after is not None \
                else url_for(request.endpoint, page=page + 1, per_page=per_page, **args)
        return {"items": [self.dump(r) for r in rows], "page": page if after is None else None,
                "per_page": per_page, "has_more": has_more, "next": nxt}

    @api_call
    def get(self, ident: int):
        require(db(), actor(), self.spec.view_permission)
        return self.dump(self._get(ident))

    @api_call
    def create(self):
        require(db(), actor(), self.spec.view_permission)
        self._may_write()
        data = records.load(self.spec.schema, _json_body())
        with _named_as_sent(self.spec.schema):
            record = records.create_record(db(), wuye(), actor(), model=self.model, data=data,
                                           create_service=self.spec.create_service, workflow=self.spec.workflow)
        body = self.dump(record)
        db().commit()
        return body, 201

    @api_call
    def update(self, ident: int):
        require(db(), actor(), self.spec.view_permission)
        record = self._get(ident)
        self._may_write()
        body = _json_body()
        if not body:
            raise ValidationError({"_schema": ["Nothing to change: send the fields to change, "
                                               "e.g. {\"name\": \"...\"}."]})
        data = records.load(self.spec.schema, body, partial=True)
        with _named_as_sent(self.spec.schema):
            record = records.update_record(db(), wuye(), actor(), record, data=data,
                                           update_service=self.spec.update_service, workflow=self.spec.workflow)
        body = self.dump(record)
        db().commit()
        return body

    @api_call
    def transition(self, ident: int, name: str):
        require(db(), actor(), self.spec.view_permission)
        record = self._get(ident)
        wf = wuye().registry.workflows.get(self.spec.workflow or "")
        if wf is None or name not in {t.name for t in wf.transitions}:
            raise NotFound(f"no transition named '{name[:64]}' for /{self.spec.path}")
        data = records.load(transition_schema(wf.transition(name)), _json_body())
        comment = data.pop("comment", None)
        if "approver" in data:
            data["approver"] = _staff(data["approver"], "approver")
        with db().begin_nested():
            record = apply_transition(db(), record, name, actor(), comment=comment or None, **data)
        result = self.dump(record)
        db().commit()
        return result


@contextlib.contextmanager
def _named_as_sent(schema):
    """Errors of the column checks and services name attributes (``amount_fen``): name them as the
    client sent them (``amount``)."""
    try:
        yield
    except ValidationError as exc:
        sent = {(f.attribute or n): (f.data_key or n) for n, f in schema().load_fields.items()}
        if not isinstance(exc.errors, dict) or not (set(exc.errors) & {k for k, v in sent.items() if k != v}):
            raise
        raise ValidationError({sent.get(k, k): v for k, v in exc.errors.items()}) from None


def _staff(value, field: str):
    """A staff id from a request body as the ``StaffUser`` the engine expects (``approver=<StaffUser>``)."""
    from core.models import StaffUser

    if value is None:
        return None
    user = db().get(StaffUser, value) if isinstance(value, int) and 0 < value <= MAX_ID else None
    if user is None or not user.active:
        raise ValidationError({field: [f"No active staff member with id {value}."]})
    return user


COMMENT_MAX = 2000


def transition_schema(transition) -> type[Schema]:
    """The schema a transition's request body is loaded with: ``transition.schema`` (if any) plus
    ``comment`` (required when the transition requires one) and ``approver`` (a staff id, passed on as
    the ``StaffUser`` the engine checks); unknown fields are refused."""
    try:
        hash(transition)
    except TypeError:  # guards given as a list: build it each time rather than fail
        return _transition_schema(transition)
    return _cached_transition_schema(transition)


def _transition_schema(transition) -> type[Schema]:
    base = transition.schema or Schema
    if not (isinstance(base, type) and issubclass(base, Schema)):
        raise TypeError(f"transition '{transition.name}': schema must be a marshmallow Schema class, "
                        f"not {base!r}")
    if transition.requires_comment:
        comment = fields.String(required=True, validate=validate.Length(min=1, max=COMMENT_MAX),
                                metadata={"description": "why (required for this transition)"})
    else:
        comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=COMMENT_MAX),
                                metadata={"description": "a note kept in the record's history"})
    attrs = {"comment": comment, "Meta": type("Meta", (getattr(base, "Meta", object),), {"unknown": RAISE})}
    if "approver" not in base._declared_fields:  # a company may require a second approver for any transition
        attrs["approver"] = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=MAX_ID),
                                           metadata={"description": "staff id of the second approver, where this "
                                                                    "company requires one ([workflows] second_approver)"})
    words = "".join(part.capitalize() for part in transition.name.split("_"))
    return type(f"{words}TransitionBody", (base,), attrs)


_cached_transition_schema = functools.cache(_transition_schema)
