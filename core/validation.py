"""Loading input through a plugin's marshmallow schema: the one door for admin forms, the API, the
CLI and services called from other plugins, so all of them accept and refuse the same things with
the same messages.

Besides the schema's own rules, :func:`load` refuses, for every schema, what no database column can
hold or what is never meant: text that is not valid Unicode (a lone surrogate such as ``"\\ud800"``)
or holds NUL characters, whole numbers beyond 64 bits, and a blank value (only spaces) for a text
field that must not be empty (required, or at least one character long).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

from marshmallow import Schema
from marshmallow import ValidationError as MmValidationError
from marshmallow import fields as mm_fields
from marshmallow import validate as mm_validate

from core.errors import ValidationError

MAX_INT = 2**63 - 1  # the widest integer column (BIGINT); anything larger is refused before any schema runs


def _plain(value):
    # Input may arrive already deserialised (the web layer loads the schema first, a service is
    # called with dates and decimals): give marshmallow back the text it expects, so loading twice
    # gives the same result.
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _raw_problem(value, depth: int = 0) -> str | None:
    """Why a raw input value can never be stored (bad text, a too large number), or None."""
    if depth > 64:
        return "Nested too deeply."
    if isinstance(value, str):
        if _has_surrogate(value):
            return "Not valid Unicode text (it contains a lone surrogate such as \\ud800); send UTF-8 text."
        if "\x00" in value:
            return "Must not contain NUL characters."
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if abs(value) <= MAX_INT else f"Number out of range (at most {MAX_INT} in absolute value)."
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _raw_problem(key, depth + 1) if isinstance(key, str) else None
            problem = problem or _raw_problem(item, depth + 1)
            if problem:
                return problem
        return None
    if isinstance(value, list | tuple):
        for item in value:
            problem = _raw_problem(item, depth + 1)
            if problem:
                return problem
    return None


def _key(name) -> str:
    text = str(name)
    if _has_surrogate(text):  # the message must be encodable itself
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text[:64]


def _raw_errors(data: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key, value in data.items():
        problem = _raw_problem(key) if isinstance(key, str) else None
        problem = problem or _raw_problem(value)
        if problem:
            errors[_key(key)] = [problem]
    return errors


def _must_not_be_blank(field) -> bool:
    if not isinstance(field, mm_fields.String):
        return False
    if field.required:
        return True
    return any(isinstance(v, mm_validate.Length) and (v.min or 0) >= 1 for v in field.validators)


def _blank_errors(instance, data: dict) -> dict:
    """Text fields that must not be empty, given only spaces (create refuses them; so must every door)."""
    errors: dict = {}
    for name, field in instance.load_fields.items():
        key = field.data_key or name
        value = data.get(key)
        if isinstance(value, str) and value and not value.strip() and _must_not_be_blank(field):
            errors[key] = ["Must not be blank: give a value, not only spaces."]
        nested = field.inner if isinstance(field, mm_fields.List) else field
        if isinstance(nested, mm_fields.Nested) and not isinstance(nested.schema, type) and value is not None:
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    inner = _blank_errors(nested.schema, item)
                    if inner:
                        errors.setdefault(key, {})
                        if isinstance(errors[key], dict):
                            errors[key][index if isinstance(value, list) else "_schema"] = inner
    return errors


def load(schema, data, *, partial: bool = False) -> dict:
    """Validate ``data`` with ``schema`` (a marshmallow ``Schema`` class or instance).

    Returns the loaded dict; marshmallow's field messages become a ``ValidationError`` (HTTP 422,
    CLI exit 2) naming each field. Nothing else happens, so call it before changing anything.
    """
    if not isinstance(data, dict):
        raise ValidationError({"_schema": ["Invalid input type."]})
    instance = schema() if isinstance(schema, type) else schema
    plain = {k: _plain(v) for k, v in data.items()}
    try:
        loaded = instance.load(plain, partial=partial)
        errors: dict = {}
    except MmValidationError as exc:
        loaded = None
        errors = dict(exc.messages) if isinstance(exc.messages, dict) else {"_schema": exc.messages}
    # the schema's own message first (it knows the field: "amount: at most 999999999.99"), then what
    # no schema may let through, then blank text where a value is needed
    for key, messages in {**_raw_errors(data), **_blank_errors(instance, plain)}.items():
        errors.setdefault(key, messages)
    if errors:
        raise ValidationError({_key(k) if isinstance(k, str) else k: v for k, v in errors.items()})
    return loaded


def label_fields(namespace: dict, labels: dict[str, tuple[str, str]], choices: dict | None = None) -> None:
    """Label every field of the schemas defined in ``namespace`` (a module's ``globals()``) by its name.

    Call it at the end of a plugin's ``schemas.py``: ``label_fields(globals(), FIELDS, CHOICES)`` with
    ``FIELDS = {"amount_fen": ("Amount", "金额"), ...}`` and ``CHOICES = {"method": {"cash": ("Cash",
    "现金"), ...}}``, so a field named the same way reads the same on every screen of the plugin.

    A field's own ``label_zh`` / ``labels`` metadata wins. Choice labels go on the field and, for a
    ``List`` of choices, on its inner field too.
    """
    module = namespace["__name__"]
    for obj in list(namespace.values()):
        if not (isinstance(obj, type) and issubclass(obj, Schema) and obj.__module__ == module):
            continue
        for name, field in obj._declared_fields.items():
            pair = labels.get(name)
            if pair and not field.metadata.get("label_zh"):
                field.metadata.setdefault("label", pair[0])
                field.metadata["label_zh"] = pair[1]
            values = (choices or {}).get(name)
            if values and "labels" not in field.metadata:
                field.metadata["labels"] = values
                if isinstance(field, mm_fields.List):
                    field.inner.metadata.setdefault("labels", values)
