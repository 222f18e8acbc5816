"""Translated names of core columns and values, and the label mechanisms every generated screen uses.

Where a label comes from (first found wins):

* a field: ``AdminViewSpec.column_labels``, else the schema field's metadata ``label`` / ``label_zh``,
  else core's catalogue below (``estate_id`` -> "Estate" -> 小区), else the prettified name;
* an enum value: the enum class's ``__labels__ = {"lent": ("Lent out", "借出")}`` (value -> (en, zh));
  a workflow's state field uses the states' ``label`` / ``label_zh``;
* a choice of a string field validated by ``OneOf`` (also ``List(String(validate=OneOf(...)))``): the
  field metadata ``labels={"wechat": ("WeChat Pay", "微信支付")}`` (on the List or on its inner field);
* money: a field named ``*_fen`` (integer fen) is shown as ``¥1,234.50`` and entered in yuan; its label
  drops "fen"/"分" and forms add "(¥)" / "（元）".
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from core.web.i18n import Bilingual, is_zh

# Column names (after ``prettify``: "estate_id" -> "Estate", "created_at" -> "Created at").
COMMON = (
    _l("Id"), _l("Code"), _l("Name"), _l("Kind"), _l("Address"), _l("Timezone"), _l("Management office"),
    _l("Office phone"), _l("Created at"), _l("Updated at"), _l("Estate"), _l("Building"), _l("Unit"),
    _l("Phase"), _l("Floors"), _l("Floor"), _l("Entrance"), _l("Room no"), _l("Unit type"), _l("Built area"),
    _l("Interior area"), _l("Status"), _l("Delivered on"), _l("Usage nature"), _l("Label"), _l("Id type"),
    _l("Id number"), _l("Phone"), _l("Phone2"), _l("Email"), _l("Notes"), _l("Party"), _l("Comment"),
    _l("Number"), _l("Amount fen"), _l("Due on"), _l("Paid at"), _l("Description"), _l("Title"),
    _l("Username"), _l("Full name"), _l("Employee no"), _l("Active"), _l("Locale"), _l("Roles"), _l("Estates"),
    _l("Department"), _l("Zone"), _l("Key"), _l("Borrower"), _l("Lent at"), _l("Returned at"), _l("Due at"),
    _l("Reason"), _l("Owner"), _l("Tenant"), _l("Start on"), _l("End on"), _l("Period"), _l("Amount"),
    _l("Quantity"), _l("Unit price fen"), _l("Total fen"), _l("Created by"), _l("Staff"), _l("Role"),
    _l("Unit price"), _l("Total"), _l("Balance"), _l("Deposit"), _l("Fee"), _l("Price"), _l("Paid"),
    _l("Confirm"), _l("Method"), _l("Scope"), _l("Type"), _l("Category"), _l("Source"), _l("Priority"),
    _l("Contact"), _l("Contact phone"), _l("Relation"), _l("Started at"), _l("Finished at"), _l("Closed at"), _l("Remark"),
)

ESTATE_KIND = {"residential": _l("Residential"), "office": _l("Office building"), "commercial": _l("Commercial"),
               "villa": _l("Villas")}

# marshmallow's messages, shown on admin form fields in the user's language (the API keeps English).
MESSAGES = (
    _l("Missing data for required field."), _l("Not a valid integer."), _l("Not a valid number."),
    _l("Not a valid date."), _l("Not a valid datetime."), _l("Not a valid string."), _l("Not a valid boolean."),
    _l("Unknown field."), _l("Field may not be null."), _l("Not a valid email address."), _l("Invalid value."),
    _l("Not a valid choice."), _l("Must not contain NUL characters."), _l("Invalid input type."),
    _l("Not a known time zone, e.g. Asia/Shanghai."),
    _l("The state changes only through a transition; use one."),
)


def _for_flask_admin() -> None:  # pragma: no cover - never called: marks Flask-Admin's dynamic msgids for pybabel
    from flask_babel import ngettext

    ngettext("25 item", "25 items", 25), ngettext("50 item", "50 items", 50)
    ngettext("100 item", "100 items", 100)


PATTERNS = (
    (r"^Longer than maximum length (?P<n>\d+)\.$", _l("Longer than maximum length %(n)s.")),
    (r"^Shorter than minimum length (?P<n>\d+)\.$", _l("Shorter than minimum length %(n)s.")),
    (r"^Length must be between (?P<a>\d+) and (?P<b>\d+)\.$", _l("Length must be between %(a)s and %(b)s.")),
    (r"^Must be one of: (?P<choices>.*)\.$", _l("Must be one of: %(choices)s.")),
    (r"^Must be greater than or equal to (?P<a>\S+) and less than or equal to (?P<b>\S+)\.$",
     _l("Must be between %(a)s and %(b)s.")),
    (r"^Must be greater than or equal to (?P<a>\S+)\.$", _l("Must be at least %(a)s.")),
    (r"^Must be less than or equal to (?P<b>\S+)\.$", _l("Must be at most %(b)s.")),
    (r"^Must be between (?P<a>\S+) and (?P<b>\S+)\.$", _l("Must be between %(a)s and %(b)s.")),
)


def translate_message(message: str) -> str:
    """A validation message in the user's language (unchanged when unknown)."""
    import re

    from flask_babel import gettext

    for pattern, lazy in PATTERNS:
        m = re.match(pattern, message)
        if m:
            return gettext(lazy._args[0], **m.groupdict())
    return gettext(message)


def message_text(message) -> str:
    """Any message (a ``core.Text``, a marshmallow message, a core one) in the user's language."""
    from core.text import Text

    if isinstance(message, Text):
        return message.localized()
    return translate_message(str(message))


# --- enum values and choices ------------------------------------------------------------------
def pair(value):
    """A label given as ``(en, zh)``, a ``core.Text`` or a plain (catalogue) string, rendered lazily."""
    from core.text import Text

    if isinstance(value, Text):
        return Bilingual(value.en, value.zh)
    if isinstance(value, tuple | list):
        return Bilingual(str(value[0]), str(value[1]) if len(value) > 1 else "")
    if isinstance(value, Bilingual):
        return value
    return _l(str(value))


def enum_value_label(enum_cls, value):
    """The label an enum class gives ``value`` in its ``__labels__`` (None when it has none)."""
    labels = getattr(enum_cls, "__labels__", None)
    if isinstance(labels, dict) and value in labels:
        return pair(labels[value])
    return None


# Choices of core's own string fields, by field name (plugins label theirs in the field metadata).
CORE_CHOICES = {"locale": {"": ("Company default", "公司默认"), "zh_CN": ("Chinese", "中文"),
                           "en": ("English", "英文")}}


def choice_labels(field, name: str | None = None) -> dict:
    """``value -> label`` a marshmallow field declares in its metadata ``labels`` (or its List's inner field)."""
    labels = field.metadata.get("labels")
    if not labels and getattr(field, "inner", None) is not None:
        labels = field.inner.metadata.get("labels")
    if not labels and name in CORE_CHOICES:
        labels = CORE_CHOICES[name]
    return {k: pair(v) for k, v in (labels or {}).items()}


def choices_of(field) -> list | None:
    """The ``OneOf`` choices of a field, or of a List's inner field (None when it has none)."""
    from marshmallow import validate as mv

    for f in (field, getattr(field, "inner", None)):
        if f is None:
            continue
        for v in f.validators:
            if isinstance(v, mv.OneOf):
                return list(v.choices)
    return None


# --- money --------------------------------------------------------------------------------------
# "Amount (fen)", "金额（分）", "Amount fen", and a unit the plugin already wrote: "(¥)", "（元）", "(yuan)"
_FEN_SUFFIX = re.compile(r"\s*(?:[(（]\s*(?:fen|分|¥|￥|元|yuan|cny|rmb)\s*[)）]|\bfen\b|分)\s*$", re.IGNORECASE)


def is_money(name: str, field=None) -> bool:
    """A ``*_fen`` integer: money kept in fen, shown and entered in yuan."""
    from marshmallow import fields as mf

    return name.endswith("_fen") and (field is None or (isinstance(field, mf.Integer)
                                                        and not isinstance(field, mf.Boolean)))


def format_yuan(fen) -> str:
    """``123450`` -> ``¥1,234.50`` (``-¥12.00`` for negative amounts)."""
    amount = Decimal(int(fen)) / 100
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


_MONEY_NOISE = re.compile(r"[\s,，¥￥]|^RMB|元$", re.IGNORECASE)


def parse_yuan(text: str) -> int:
    """``"1,234.5"``, ``"¥1,234.50"``, ``"1234"`` -> fen (``123450``); ValueError with a translated message."""
    from flask_babel import gettext

    cleaned = _MONEY_NOISE.sub("", str(text).strip())
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(gettext("Not a valid amount in yuan, e.g. 1,234.50.")) from None
    if not amount.is_finite():
        raise ValueError(gettext("Not a valid amount in yuan, e.g. 1,234.50."))
    if amount.as_tuple().exponent < -2:
        raise ValueError(gettext("At most two decimal places (fen)."))
    return int(amount * 100)


class MoneyLabel:
    """The label of a ``*_fen`` field without "fen"/"分"; on forms with "(¥)" / "（元）"."""

    def __init__(self, label, *, form: bool = False):
        self.label = label
        self.form = form

    def __str__(self) -> str:
        text = _FEN_SUFFIX.sub("", str(self.label)).strip() or str(self.label)
        if not self.form:
            return text
        return f"{text}（元）" if is_zh() else f"{text} (¥)"

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))

    def __len__(self) -> int:
        return len(str(self))
