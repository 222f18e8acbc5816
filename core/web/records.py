"""Create and change records from validated input: shared by the admin forms and the API.

Both call :func:`load` (the spec's marshmallow schema, so both reject the same input with the same
messages), then :func:`create_record` / :func:`update_record`, which also check what a schema
cannot know: string lengths and number ranges of the database columns, that referenced records
are ones the actor may see (estate scoping), and that workflow state fields are changed only by
transitions. Nothing is written when any check fails.
"""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import BigInteger, Integer, Numeric, SmallInteger, String, inspect
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.text import Text
from core.validation import load  # noqa: F401  (the web layer's name for it)
from core.web.integration import get_scoped

# most specific first: BigInteger and SmallInteger are subclasses of Integer
INT_LIMITS = {BigInteger: 2**63 - 1, SmallInteger: 2**15 - 1, Integer: 2**31 - 1}


def _int_limit(col_type) -> int | None:
    for cls, limit in INT_LIMITS.items():
        if isinstance(col_type, cls):
            return limit
    return None


def check_columns(model, data: dict, *, service: bool = False) -> None:
    """Reject values the database would refuse: too long, NUL characters, out-of-range numbers.

    Keys that are not attributes of the model are refused unless a service consumes the data.
    """
    errors: dict[str, list[str]] = {}
    attrs = inspect(model).attrs
    for key in data:
        if key not in attrs and not service:
            errors[key] = ["Unknown field."]
    columns = model.__table__.columns
    for key, value in data.items():
        col = columns.get(key)
        if col is None or value is None:
            continue
        ctype = col.type
        if isinstance(value, str):
            if "\x00" in value:
                errors.setdefault(key, []).append("Must not contain NUL characters.")
            length = getattr(ctype, "length", None)
            if isinstance(ctype, String) and length and len(value) > length:
                errors.setdefault(key, []).append(f"Longer than maximum length {length}.")
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            limit = _int_limit(ctype)
            if limit is not None and abs(value) > limit:
                errors.setdefault(key, []).append(f"Must be between {-limit} and {limit}.")
        elif isinstance(value, decimal.Decimal | float) and isinstance(ctype, Numeric) and ctype.precision:
            whole = ctype.precision - (ctype.scale or 0)
            try:
                too_big = abs(decimal.Decimal(value)) >= decimal.Decimal(10) ** whole
            except (decimal.InvalidOperation, ValueError):
                too_big = True
            if too_big:
                errors.setdefault(key, []).append(f"Must be less than {10 ** whole} in absolute value.")
        elif isinstance(value, dt.date) and not (1 <= value.year <= 9999):
            errors.setdefault(key, []).append("Not a valid date.")
    if errors:
        raise ValidationError(errors)


def _referenced_models(wuye, model) -> dict[str, type]:
    """Foreign-key column name -> model class of the referenced table (for scoping checks)."""
    out = {}
    for col in model.__table__.columns:
        for fk in col.foreign_keys:
            target = wuye.registry.models.get(fk.column.table.name)
            if target is not None:
                out[col.key] = target
    return out


def check_references(session: Session, wuye, actor, model, data: dict) -> None:
    """Every referenced record must exist and be visible to ``actor``; else a field error."""
    errors = {}
    for key, target in _referenced_models(wuye, model).items():
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not (0 < value < 2**31):
            errors[key] = ["Not a valid choice."]
            continue
        try:
            get_scoped(session, actor, target, value)
        except NotFound:
            errors[key] = [Text(f"No such {target.__name__.lower()} (id {value}) among the records you may see.",
                                f"没有编号为 {value} 的记录，或不在您可查看的范围内。")]
    if errors:
        raise ValidationError(errors)


def check_state_field(wuye, model, workflow: str | None, data: dict) -> None:
    if not workflow:
        return
    wf = wuye.registry.workflows.get(workflow)
    if wf is not None and wf.state_field in data:
        raise ValidationError({wf.state_field: ["The state changes only through a transition; use one."]})


def _flush(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(Text(f"the record clashes with an existing one ({_first_line(exc)})",
                            f"与已有记录重复或冲突（{_first_line(exc)}）")) from None
    except DataError as exc:
        raise ValidationError({"_schema": [Text(f"A value is not acceptable to the database ({_first_line(exc)}).",
                                                f"有数值无法存入数据库（{_first_line(exc)}）。")]}) from None


def _first_line(exc) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _ensure_visible(session: Session, actor, record) -> None:
    model = type(record)
    try:
        get_scoped(session, actor, model, inspect(record).identity[0])
    except NotFound:
        raise PermissionDenied(Text("the record would be outside the estates you work for; choose one of yours",
                                    "该记录将不在您负责的小区范围内，请选择您负责的小区")) from None


def create_record(session: Session, wuye, actor, *, model, data: dict, create_service=None, workflow=None):
    """Create a ``model`` row from validated ``data`` (through ``create_service`` when given)."""
    check_columns(model, data, service=create_service is not None)
    check_state_field(wuye, model, workflow, data)
    check_references(session, wuye, actor, model, data)
    with session.begin_nested():
        if create_service is not None:
            record = create_service(session, actor, dict(data))
        else:
            record = model(**data)
            session.add(record)
        _flush(session)
        _ensure_visible(session, actor, record)
    return record


def update_record(session: Session, wuye, actor, record, *, data: dict, update_service=None, workflow=None):
    """Apply validated ``data`` to ``record`` (through ``update_service`` when given)."""
    model = type(record)
    check_columns(model, data, service=update_service is not None)
    check_state_field(wuye, model, workflow, data)
    check_references(session, wuye, actor, model, data)
    with session.begin_nested():
        if update_service is not None:
            record = update_service(session, actor, record, dict(data)) or record
        else:
            for key, value in data.items():
                setattr(record, key, value)
        _flush(session)
        _ensure_visible(session, actor, record)
    return record
