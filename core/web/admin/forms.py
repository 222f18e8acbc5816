"""Admin forms generated from a spec's marshmallow schema; the schema alone validates them.

Fields are plain text inputs (or selects, checkboxes, ajax lookups) whose raw values go to
``core.web.records.load`` exactly as an API client's JSON would, so both give the same messages.

* money (``*_fen`` integers) is ONE yuan input ("1,234.50", "¥1,234.5"), converted to fen here;
* lists of choices (``List(String(OneOf))``, ``List(Enum)``) are groups of checkboxes; other lists are
  a text box with one item per line; ``Nested`` / ``Dict`` fields a JSON text box (never hidden);
* a load-only Boolean ``confirm`` is hidden until the service raised ``ConfirmationRequired``;
* the create form is prefilled from the query string (``new/?unit_id=12``).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import zoneinfo

from flask_admin.model.fields import AjaxSelectField
from flask_wtf import FlaskForm
from marshmallow import fields as mf
from marshmallow import validate as mv
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets

from core.web.i18n import gettext, lazy_gettext
from core.web.labels import choice_labels, choices_of, format_yuan, is_money, parse_yuan

SKIPPED = (mf.Tuple, mf.Method, mf.Function)
CONFIRM = "confirm"  # the load-only Boolean a service asks for with ConfirmationRequired


class CheckboxesField(SelectMultipleField):
    """Several choices as a group of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):  # the schema validates the choices
        pass


class EnglishOnly:
    """A plain-English field description (API documentation): shown to English users only, never half-translated."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        from core.web.i18n import is_zh

        return "" if is_zh() else self.text

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))

    def __bool__(self) -> bool:
        return bool(str(self))


def _description(name: str, field):
    from core.text import Text

    given = field.metadata.get("description", "")
    if isinstance(given, Text):
        return given  # both languages: renders per request
    if is_money(name, field):
        return lazy_gettext("In yuan, e.g. 1,234.50")  # a plain description of fen would mislead here
    return EnglishOnly(given) if given else ""


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


def _choices(view, name: str, field) -> list[tuple]:
    """``(value, label)`` of an Enum, a OneOf string, or the inner field of a List of either."""
    inner = field.inner if isinstance(field, mf.List) else field
    if isinstance(inner, mf.Enum):
        return [(m.value if inner.by_value else m.name, view.enum_label(m, name)) for m in inner.enum]
    labels = choice_labels(field, name)
    return [(str(c), labels.get(c) or gettext(str(c))) for c in (choices_of(field) or ())]


def _is_choice_list(field) -> bool:
    return isinstance(field, mf.List) and (isinstance(field.inner, mf.Enum) or choices_of(field) is not None)


def _max_length(field) -> int | None:
    for v in field.validators:
        if isinstance(v, mv.Length) and v.max:
            return v.max
    return None


def input_fields(schema_cls, skip: set[str] = frozenset()) -> dict:
    """The schema's loadable fields, in declaration order."""
    # Optional nested data (JSON) and optional lists of ids are left to the API; required ones get a
    # box, never hidden.
    return {name: f for name, f in schema_cls().fields.items()
            if not f.dump_only and name not in skip and not isinstance(f, SKIPPED)
            and (f.required or not (_is_json(f) or _is_id_list(f)))}


def _is_id_list(field) -> bool:
    """A list of numbers without choices (ids of charge lines...): only the API sends those unless required."""
    return isinstance(field, mf.List) and isinstance(field.inner, mf.Number) and choices_of(field) is None


def _is_json(field) -> bool:
    """Nested data, entered as JSON (a list of nested records too)."""
    return isinstance(field, mf.Nested | mf.Dict | mf.Raw) or (
        isinstance(field, mf.List) and isinstance(field.inner, mf.Nested | mf.Dict | mf.Raw))


def build_form_class(view, *, edit: bool):
    """A FlaskForm (so it carries the CSRF token) with one field per loadable schema field."""
    attrs = {}
    for name, field in input_fields(view.spec.schema, view.form_skip).items():
        label = view.label_for(name, form=True)
        if field.required and not edit:
            label = RequiredLabel(label)
        description = _description(name, field)
        loader = view.loaders.get(name)
        if name == CONFIRM and isinstance(field, mf.Boolean):
            attrs[name] = BooleanField(lazy_gettext("Yes, I confirm"), render_kw={"class": "wuye-confirm"})
        elif is_money(name, field):
            attrs[name] = StringField(label, description=description, render_kw={
                "inputmode": "decimal", "placeholder": "0.00", "data-money": "yuan", "autocomplete": "off"})
        elif _is_choice_list(field):
            attrs[name] = CheckboxesField(label, choices=_choices(view, name, field), description=description,
                                          render_kw={"class": "wuye-checkboxes list-unstyled"})
        elif _is_json(field):
            attrs[name] = TextAreaField(label, render_kw={"rows": 4, "class": "wuye-json"},
                                        description=description or lazy_gettext("As JSON."))
        elif isinstance(field, mf.List):
            attrs[name] = TextAreaField(label, render_kw={"rows": 3, "class": "wuye-lines"},
                                        description=description or lazy_gettext("One per line."))
        elif loader is not None:
            attrs[name] = AjaxSelectField(loader, label=label, allow_blank=True, description=description)
        elif isinstance(field, mf.Boolean):
            attrs[name] = BooleanField(label, description=description)
        elif isinstance(field, mf.Enum) or _one_of(field) is not None:
            choices = [("", "—"), *_choices(view, name, field)]
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
        if name == CONFIRM and isinstance(f, BooleanField):
            if f.data:
                raw[name] = True
            continue
        if isinstance(f, BooleanField):
            raw[name] = bool(f.data)
            continue
        if isinstance(f, CheckboxesField):
            if f.data or not edit:
                raw[name] = list(f.data or [])
            continue
        value = f.data
        if _is_json(field) and isinstance(value, str):
            if not value.strip():
                continue
            try:
                raw[name] = json.loads(value)
            except ValueError:
                errors[name] = [gettext("Not valid JSON.")]
            continue
        if isinstance(field, mf.List) and isinstance(value, str):
            items = [line.strip() for line in value.splitlines() if line.strip()]
            if items or not edit:
                raw[name] = items
            continue
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if isinstance(field, mf.String) and not isinstance(field, mf.Enum) and not field.required \
                    and _one_of(field) is None:
                raw[name] = ""
            elif edit and field.allow_none:
                raw[name] = None
            continue
        if is_money(name, field) and isinstance(value, str):
            try:
                value = parse_yuan(value)
            except ValueError as exc:
                errors[name] = [str(exc)]
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


def show_value(view, f, name: str, value) -> None:
    """Put a stored value into a form field (lookups as their labels, money in yuan, times local)."""
    if value is None:
        return
    if isinstance(f, AjaxSelectField):
        f.data = f.loader.get_one(value)
    elif isinstance(f, CheckboxesField):
        f.data = [v.value if isinstance(v, enum.Enum) else v for v in value]
    elif is_money(name) and isinstance(value, int) and not isinstance(f, BooleanField):
        f.data = format_yuan(value).replace("¥", "").replace(",", "")
    elif isinstance(value, enum.Enum):
        f.data = value.value
    elif isinstance(value, dt.datetime):
        f.data = value.astimezone(_local_tz(view)).replace(tzinfo=None).isoformat(timespec="minutes")
    elif isinstance(value, list | tuple) and isinstance(f, TextAreaField) and "wuye-lines" in str(f.render_kw):
        f.data = "\n".join(map(str, value))
    elif isinstance(value, dict | list) and isinstance(f, TextAreaField):
        f.data = json.dumps(value, ensure_ascii=False, indent=1)
    elif isinstance(f, BooleanField):
        f.data = value in (True, "1", "true", "on", "y", "yes")
    else:
        f.data = str(value)


def prefill_from_args(view, form, args) -> None:
    """The create form with fields taken from the query string (``new/?unit_id=12&amount_fen=5000``).

    A choice the query string leaves out shows the schema's own default (``load_default``): the
    reception form opens on 来电 (phone), the channel most calls come by, not on an empty choice."""
    declared = view.spec.schema().fields
    for name in input_fields(view.spec.schema, view.form_skip):
        if name not in form or name == CONFIRM:
            continue
        if name not in args:
            default = getattr(declared.get(name), "load_default", None)
            if isinstance(form[name], SelectField) and isinstance(default, enum.Enum | str) and default != "":
                show_value(view, form[name], name, default)
            continue
        f = form[name]
        values = args.getlist(name)
        value = values if isinstance(f, CheckboxesField) else values[0]
        if isinstance(f, AjaxSelectField) or is_money(name):
            try:
                value = int(value)
            except (TypeError, ValueError):
                continue
        show_value(view, f, name, value)


def prefill(view, form, record) -> None:
    """Show a record's values in the edit form (lookups as their labels, times in local time)."""
    for name in input_fields(view.spec.schema, view.form_skip):
        if name not in form or name == CONFIRM:
            continue
        f = form[name]
        value = getattr(record, name, None)
        if value is not None:
            show_value(view, f, name, value)
