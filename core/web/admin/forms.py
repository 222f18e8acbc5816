"""Admin forms generated from a spec's marshmallow schema; the schema alone validates them.

Fields are plain text inputs (or selects, checkboxes, ajax lookups) whose raw values go to
``core.web.records.load`` exactly as an API client's JSON would, so both give the same messages.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo

from flask_admin.model.fields import AjaxSelectField
from flask_wtf import FlaskForm
from marshmallow import fields as mf
from marshmallow import validate as mv
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from core.web.i18n import gettext

SKIPPED = (mf.Nested, mf.List, mf.Dict, mf.Tuple, mf.Method, mf.Function, mf.Raw)


class RequiredLabel:
    """A field label with a required-marker, rendered lazily in the request's language."""

    def __init__(self, label):
        self.label = label

    def __str__(self) -> str:
        return f"{self.label} *"


def _one_of(field) -> list | None:
    for v in field.validators:
        if isinstance(v, mv.OneOf):
            return list(v.choices)
    return None


def _max_length(field) -> int | None:
    for v in field.validators:
        if isinstance(v, mv.Length) and v.max:
            return v.max
    return None


def input_fields(schema_cls, skip: set[str] = frozenset()) -> dict:
    """The schema's loadable fields, in declaration order."""
    return {name: f for name, f in schema_cls().fields.items()
            if not f.dump_only and name not in skip and not isinstance(f, SKIPPED)}


def build_form_class(view, *, edit: bool):
    """A FlaskForm (so it carries the CSRF token) with one field per loadable schema field."""
    attrs = {}
    for name, field in input_fields(view.spec.schema, view.form_skip).items():
        label = view.label_for(name)
        if field.required and not edit:
            label = RequiredLabel(label)
        description = field.metadata.get("description", "")
        loader = view.loaders.get(name)
        if loader is not None:
            attrs[name] = AjaxSelectField(loader, label=label, allow_blank=True, description=description)
        elif isinstance(field, mf.Boolean):
            attrs[name] = BooleanField(label, description=description)
        elif isinstance(field, mf.Enum):
            choices = [("", "—")] + [(m.value if field.by_value else m.name, view.enum_label(m))
                                     for m in field.enum]
            attrs[name] = SelectField(label, choices=choices, validate_choice=False, description=description)
        elif _one_of(field) is not None:
            choices = [("", "—")] + [(str(c), gettext(str(c))) for c in _one_of(field)]
            attrs[name] = SelectField(label, choices=choices, validate_choice=False, description=description)
        elif isinstance(field, mf.Date):
            attrs[name] = StringField(label, render_kw={"type": "date"}, description=description)
        elif isinstance(field, mf.DateTime):
            attrs[name] = StringField(label, render_kw={"type": "datetime-local"}, description=description)
        elif isinstance(field, mf.Number):
            attrs[name] = StringField(label, render_kw={"inputmode": "decimal"}, description=description)
        elif isinstance(field, mf.String) and (_max_length(field) or 0) > 400:
            attrs[name] = TextAreaField(label, render_kw={"rows": 4}, description=description)
        else:
            attrs[name] = StringField(label, description=description)
    return type(f"{view.spec.name}_{'edit' if edit else 'create'}_form", (FlaskForm,), attrs)


def _local_tz(view) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(view.wuye.config.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("Asia/Shanghai")


def form_to_raw(view, form, *, edit: bool) -> tuple[dict, dict]:
    """Raw input for the schema from the submitted form, plus errors only the form can know."""
    raw: dict = {}
    errors: dict = {}
    for name, field in input_fields(view.spec.schema, view.form_skip).items():
        if name not in form:
            continue
        f = form[name]
        if isinstance(f, AjaxSelectField):
            chosen = f.data
            sent = f._formdata if hasattr(f, "_formdata") else None
            if chosen is not None:
                raw[name] = chosen.id
            elif sent not in (None, "", "__None"):
                errors[name] = [gettext("Not a valid choice.")]
            elif edit and field.allow_none:
                raw[name] = None
            continue
        if isinstance(f, BooleanField):
            raw[name] = bool(f.data)
            continue
        value = f.data
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if isinstance(field, mf.String) and not isinstance(field, mf.Enum) and not field.required \
                    and _one_of(field) is None:
                raw[name] = ""
            elif edit and field.allow_none:
                raw[name] = None
            continue
        if isinstance(field, mf.DateTime) and isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value)
                if parsed.tzinfo is None:
                    value = parsed.replace(tzinfo=_local_tz(view)).isoformat()
            except ValueError:
                pass  # the schema reports it
        raw[name] = value
    return raw, errors


def prefill(view, form, record) -> None:
    """Show a record's values in the edit form (lookups as their labels, times in local time)."""
    for name in input_fields(view.spec.schema, view.form_skip):
        if name not in form:
            continue
        f = form[name]
        value = getattr(record, name, None)
        if isinstance(f, AjaxSelectField):
            f.data = f.loader.get_one(value) if value is not None else None
        elif isinstance(value, enum.Enum):
            f.data = value.value
        elif isinstance(value, dt.datetime):
            f.data = value.astimezone(_local_tz(view)).replace(tzinfo=None).isoformat(timespec="minutes")
        elif value is not None and not isinstance(f, BooleanField):
            f.data = str(value)
