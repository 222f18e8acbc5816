"""Marshmallow schemas: the one validation of billing input for admin screens and the API.

Money is never a float: amounts are given in yuan as strings or decimals (``"120.50"``) or in fen as
integers (``12050``) and stored as integer fen; prices have up to four decimals of a yuan. Every
message names its field.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from core import Text, fen_to_yuan, label_fields, to_fen
from plugins.billing.fees import cfen_to_yuan
from plugins.billing.labels import CHOICES, FIELDS
from plugins.billing.models import (
    BASES,
    CASE_STATUSES,
    CATEGORIES,
    CYCLES,
    DUNNING_KINDS,
    METHODS,
    PAYERS,
    PRICE_PER,
    ROUNDINGS,
)
from plugins.billing.periods import PERIOD_RE

UNIT_TYPES = ("residential", "shop", "office", "parking", "storage")


# Amounts are bounded: a billion yuan is beyond any property fee, and the limit keeps the fen and
# centi-fen values well inside the BIGINT columns (and Decimal arithmetic inside its precision).
MAX_YUAN = Decimal("999999999.99")
MAX_READING = Decimal("999999999999.99")  # meter readings: Numeric(14, 2)


# "1,234.50" as people write it (thousands separators, a ¥ sign); anything else keeps its commas and fails
GROUPED = re.compile(r"^[¥￥]?\s*\d{1,3}([,，]\d{3})+(\.\d+)?$")


def _decimal(value, name: str, what: str, maximum: Decimal = MAX_YUAN) -> Decimal:
    if isinstance(value, bool | float):
        raise ValidationError(Text(f'{name}: give {what} as a string or decimal, e.g. "120.50" (never a float)',
                                   f"{name}: 请以字符串或小数填写，例如 \"120.50\"（不接受浮点数）"))
    if isinstance(value, str) and len(value) > 40:
        raise ValidationError(Text(f"{name}: too long for {what}; at most {maximum}",
                                   f"{name}: 数值过长，最大为 {maximum}"))
    text = str(value).strip()
    if GROUPED.match(text) or text[:1] in "¥￥":
        text = text.lstrip("¥￥").strip().replace(",", "").replace("，", "")
    try:
        d = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(Text(f'{name}: {str(value)[:40]!r} is not a number; give {what}, e.g. "120.50"',
                                   f"{name}: {str(value)[:40]!r} 不是数字，例如 \"120.50\"")) from None
    if not d.is_finite():
        raise ValidationError(Text(f"{name}: {value!r} is not a number", f"{name}: {value!r} 不是数字"))
    if d < 0:
        raise ValidationError(Text(f"{name}: must not be negative", f"{name}: 不能为负数"))
    if d > maximum:
        raise ValidationError(Text(f"{name}: at most {maximum}; {str(value)[:40]} is out of range",
                                   f"{name}: 最大为 {maximum}，{str(value)[:40]} 超出范围"))
    return d


def _doc(kwargs: dict, **schema) -> dict:
    """The field's OpenAPI description (``metadata``): how the value travels in JSON."""
    kwargs["metadata"] = {**schema, **kwargs.get("metadata", {})}
    return kwargs


class Yuan(fields.Field):
    """An amount in yuan (``"120.50"``) loaded as integer fen; dumped back as a yuan string."""

    def __init__(self, *, allow_zero: bool = False, maximum: Decimal = MAX_YUAN, **kwargs):
        super().__init__(**_doc(kwargs, type="string", format="decimal", pattern=r"^-?\d{1,9}(\.\d{1,2})?$",
                                description=f"yuan, e.g. \"120.50\"; at most {maximum}"))
        self.allow_zero = allow_zero
        self.maximum = maximum

    def _deserialize(self, value, attr, data, **kwargs):
        name = attr or self.name
        d = _decimal(value, name, "the amount in yuan", self.maximum)
        if d != d.quantize(Decimal("0.01")):
            raise ValidationError(Text(f"{name}: at most two decimals (fen)", f"{name}: 最多两位小数（分）"))
        if d == 0 and not self.allow_zero:
            raise ValidationError(Text(f"{name}: must be more than zero", f"{name}: 必须大于零"))
        return to_fen(d)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(fen_to_yuan(value))


MAX_FEN = 99999999999  # MAX_YUAN in fen


class Fen(fields.Integer):
    """An amount in whole fen: an integer or a string of digits (never a float)."""

    def __init__(self, **kwargs):
        super().__init__(**_doc(kwargs, type="integer", minimum=1, maximum=MAX_FEN, description="fen (0.01 yuan)"))

    def _deserialize(self, value, attr, data, **kwargs):
        name = attr or self.name
        if isinstance(value, bool | float) or not isinstance(value, int | str):
            raise ValidationError(Text(f"{name}: give a whole number of fen, e.g. 12050 (never a float)",
                                       f"{name}: 请填写整数分，例如 12050（不接受浮点数）"))
        if isinstance(value, str) and (len(value) > 20 or not value.strip().lstrip("-").isdigit()):
            raise ValidationError(Text(f"{name}: {value[:40]!r} is not a whole number of fen",
                                       f"{name}: {value[:40]!r} 不是整数分"))
        fen = int(value)
        if fen <= 0:
            raise ValidationError(Text(f"{name}: must be more than zero", f"{name}: 必须大于零"))
        if fen > MAX_FEN:
            raise ValidationError(Text(f"{name}: at most {MAX_FEN} fen", f"{name}: 最多 {MAX_FEN} 分"))
        return fen

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class Price(fields.Field):
    """A unit price in yuan with up to 4 decimals (``"2.50"`` per m²) loaded as centi-fen."""

    def __init__(self, **kwargs):
        super().__init__(**_doc(kwargs, type="string", format="decimal", pattern=r"^\d{1,9}(\.\d{1,4})?$",
                                description="yuan with up to four decimals, e.g. \"2.50\""))

    def _deserialize(self, value, attr, data, **kwargs):
        name = attr or self.name
        d = _decimal(value, name, "the price in yuan")
        cfen = d * 10000
        if cfen != cfen.to_integral_value():
            raise ValidationError(Text(f"{name}: at most four decimals of a yuan (0.0001)", f"{name}: 最多四位小数"))
        return int(cfen)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(cfen_to_yuan(value))


class Quantity(fields.Field):
    """A meter reading or area: a non-negative number with at most two decimals, as Decimal."""

    def __init__(self, **kwargs):
        super().__init__(**_doc(kwargs, type="string", format="decimal", pattern=r"^-?\d{1,12}(\.\d{1,2})?$",
                                description="a quantity with up to two decimals, e.g. \"1234.50\""))

    def _deserialize(self, value, attr, data, **kwargs):
        name = attr or self.name
        d = _decimal(value, name, "the reading", MAX_READING)
        if d != d.quantize(Decimal("0.01")):
            raise ValidationError(Text(f"{name}: at most two decimals", f"{name}: 最多两位小数"))
        return d

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value)


class Period(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        m = PERIOD_RE.match(value)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValidationError(Text(f"{attr or self.name}: write the period as YYYY-MM, e.g. 2026-11",
                                       f"{attr or self.name}: 账期格式为 YYYY-MM，例如 2026-11"))
        return value


class FeeItemSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    code = fields.String(
        required=True,
        # plugins contribute upper-case codes (CONV_SERVICE, RENO_WASTE): the API must accept what it returns
        validate=validate.Regexp(r"^[A-Za-z][A-Za-z0-9_]{0,47}$",
                                 error=Text("code: a letter, then letters, digits and _ (at most 48), e.g. water_fee",
                   "code: 以字母开头，后接字母、数字或下划线（最多 48 个），例如 water_fee")),
    )
    name = fields.String(required=True, validate=validate.Length(1, 200))
    name_zh = fields.String(load_default="", validate=validate.Length(max=200))
    category = fields.String(required=True, validate=validate.OneOf(list(CATEGORIES)))
    basis = fields.String(load_default="fixed", validate=validate.OneOf(list(BASES)))
    cycle = fields.String(load_default="monthly", validate=validate.OneOf(list(CYCLES)))
    prepaid = fields.Boolean(load_default=True)
    due_day = fields.Integer(load_default=15, validate=validate.Range(1, 31))
    rounding = fields.String(load_default="half_up", validate=validate.OneOf(list(ROUNDINGS)))
    unit_types = fields.List(fields.String(validate=validate.OneOf(UNIT_TYPES)), load_default=list)
    payer = fields.String(load_default="owner", validate=validate.OneOf(list(PAYERS)))
    estate_id = fields.Integer(load_default=None, allow_none=True)
    unit_label = fields.String(load_default="", validate=validate.Length(max=16))
    description = fields.String(load_default="", validate=validate.Length(max=1000))
    active = fields.Boolean(load_default=True)
    # billing's domain rules (issue 16 part 4): what the price is for; the item's own late-fee rate
    price_per = fields.String(load_default="cycle", validate=validate.OneOf(list(PRICE_PER)))
    late_fee_daily_permille = fields.Decimal(load_default=None, allow_none=True, as_string=True, places=3,
                                             validate=validate.Range(0, 10))


class TierSchema(Schema):
    from_qty = Quantity(required=True)
    to_qty = Quantity(load_default=None, allow_none=True)
    price = Price(required=True)


class FeePriceSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    fee_item_id = fields.Integer(required=True)
    estate_id = fields.Integer(load_default=None, allow_none=True)
    effective_from = fields.Date(required=True)
    price = Price(required=True, attribute="price_cfen")
    approval_ref = fields.String(load_default="", validate=validate.Length(max=200))
    tiers = fields.List(fields.Nested(TierSchema), load_default=list, load_only=True)


class MeterReadingSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    meter_id = fields.Integer(required=True)
    period = Period(required=True)
    read_on = fields.Date(load_default=None)
    value = Quantity(required=True)
    previous_value = Quantity(dump_only=True)
    usage = Quantity(dump_only=True)
    rollover = fields.Boolean(load_default=False)
    replacement = fields.Boolean(load_default=False)
    new_meter_initial = Quantity(load_default=None, allow_none=True, load_only=True)
    old_meter_final = Quantity(load_default=None, allow_none=True)
    read_by_id = fields.Integer(dump_only=True)
    checked_by_id = fields.Integer(dump_only=True)
    note = fields.String(load_default="", validate=validate.Length(max=400))

    @validates_schema
    def _replacement(self, data, **kwargs):
        if data.get("replacement") and data.get("new_meter_initial") is None:
            raise ValidationError(
                Text("new_meter_initial: a replacement needs the new meter's initial reading",
                     "new_meter_initial: 换表须填写新表起始读数"), "new_meter_initial"
            )


class PaymentSchema(Schema):
    """A payment: returned with ``amount_fen`` and ``to_prepaid_fen`` in integer fen like every resource.

    Input: ``amount_fen`` in fen, or (older clients) ``amount`` in yuan (``"120.50"``), not both.
    """

    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(required=True)
    amount = Yuan(load_default=None, load_only=True, attribute="amount_yuan_in", data_key="amount")
    amount_fen = Fen(load_default=None)
    method = fields.String(required=True, validate=validate.OneOf(list(METHODS)))
    lines = fields.List(fields.Integer(), load_default=None, allow_none=True, load_only=True)
    payer = fields.String(load_default="", validate=validate.Length(max=200))
    reference = fields.String(load_default="", validate=validate.Length(max=200))
    paid_on = fields.Date(load_default=None)
    receipt_no = fields.String(dump_only=True)
    to_prepaid_fen = fields.Integer(dump_only=True)
    collector_id = fields.Integer(dump_only=True)
    reverses_id = fields.Integer(dump_only=True)
    reversed_at = fields.DateTime(dump_only=True)
    # an overpayment goes to the prepaid balance (预存) only when the cashier confirms it
    confirm = fields.Boolean(load_default=False, load_only=True)

    @validates_schema
    def _one_amount(self, data, **kwargs):
        given = [k for k in ("amount_fen", "amount_yuan_in") if data.get(k) is not None]
        if len(given) != 1:
            raise ValidationError(
                Text("amount: give the amount once, in yuan (amount) or in fen (amount_fen)",
                     "amount: 金额只填一次（元 amount 或分 amount_fen）"), "amount"
            )

    @post_load
    def _merge(self, data, **kwargs):  # the two spellings become amount_fen
        yuan = data.pop("amount_yuan_in", None)
        if yuan is not None:
            data["amount_fen"] = yuan
        return data


class PaymentFormSchema(PaymentSchema):
    """The payment form of the admin screen: one amount, ``amount_fen``, which the form takes in yuan.

    The API keeps both spellings (``amount`` in yuan or ``amount_fen`` in fen); a form showing both
    was read as two amounts (typing 1000 in the fen one recorded ¥10.00).
    """

    class Meta:
        unknown = RAISE
        exclude = ("amount",)

    amount_fen = Fen(required=True)


class DepositSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(required=True)
    source = fields.String(required=True, validate=validate.Length(1, 160))
    kind = fields.String(dump_only=True)
    # ``amount_fen`` in fen (returned so); ``amount`` in yuan is still read from older clients
    amount = Yuan(load_default=None, load_only=True, attribute="amount_yuan_in", data_key="amount")
    amount_fen = Fen(load_default=None)
    method = fields.String(
        load_default="cash", validate=validate.OneOf([m for m in METHODS if m != "prepaid"])
    )
    reason = fields.String(load_default="", validate=validate.Length(max=400))
    receipt_no = fields.String(dump_only=True)
    payee = fields.String(dump_only=True)  # a refund's payee (退款收款人)
    reverses_id = fields.Integer(dump_only=True)  # a reversal's entry

    @validates_schema
    def _one_amount(self, data, **kwargs):
        if sum(data.get(k) is not None for k in ("amount_fen", "amount_yuan_in")) != 1:
            raise ValidationError(Text("amount_fen: give the amount once, in fen (amount_fen) or in yuan (amount)",
                                       "amount_fen: 金额只填一次（分 amount_fen 或元 amount）"), "amount_fen")

    @post_load
    def _merge(self, data, **kwargs):
        yuan = data.pop("amount_yuan_in", None)
        if yuan is not None:
            data["amount_fen"] = yuan
        return data


class DepositFormSchema(DepositSchema):
    """The deposit form of the admin screen: one amount, ``amount_fen``, which the form takes in yuan."""

    class Meta:
        unknown = RAISE
        exclude = ("amount",)

    amount_fen = Fen(required=True)


class ChargeLineSchema(Schema):
    """Read-only view of a charge line (lines are created by runs and services, never by hand)."""

    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    fee_item_id = fields.Integer(dump_only=True)
    period = fields.String(dump_only=True)
    origin = fields.String(dump_only=True)
    amount = Yuan(dump_only=True, attribute="amount_fen")
    amount_fen = fields.Integer(dump_only=True)
    # what is still owed on the line (0 when paid or reversed) and what was paid, in fen
    open_fen = fields.Method("_open_fen", dump_only=True, metadata={"type": "integer"})
    paid_fen = fields.Integer(dump_only=True)

    def _open_fen(self, line) -> int:
        if line.reversed_at is not None or line.origin == "reversal":
            return 0
        return line.amount_fen - line.paid_fen
    due_on = fields.Date(dump_only=True)
    posted_on = fields.Date(dump_only=True)
    source = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    reversed_at = fields.DateTime(dump_only=True)


class ChargeLineViewSchema(ChargeLineSchema):
    """The charge screens: one amount (``amount_fen``, shown as ¥); the API keeps the yuan string too."""

    class Meta:
        exclude = ("amount",)


class DunningActionSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    case_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(list(DUNNING_KINDS)))
    result = fields.String(load_default="", validate=validate.Length(max=1000))
    done_on = fields.Date(load_default=None)
    due_on = fields.Date(dump_only=True)
    promised_on = fields.Date(load_default=None, load_only=True)
    dispute_reason = fields.String(
        load_default=None, allow_none=True, load_only=True, validate=validate.Length(max=400)
    )
    overdue = fields.Boolean(dump_only=True)


class DunningCaseSchema(Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    status = fields.String(validate=validate.OneOf(list(CASE_STATUSES)))
    opened_on = fields.Date(dump_only=True)
    closed_on = fields.Date(dump_only=True)
    arrears = Yuan(dump_only=True, attribute="arrears_fen")
    oldest_due_on = fields.Date(dump_only=True)
    assigned_role = fields.String(dump_only=True)
    assignee_id = fields.Integer(allow_none=True)
    dispute_reason = fields.String(validate=validate.Length(max=400))
    note = fields.String(validate=validate.Length(max=1000))
    disputed_on = fields.Date(dump_only=True)  # late fees pause from here ...
    dispute_resolved_on = fields.Date(dump_only=True)  # ... to the day before this


class Permille(fields.Field):
    """A rate in ‰ per day: TOML numbers are read through their text, so 0.5 stays exactly 0.5."""

    def _deserialize(self, value, attr, data, **kwargs):
        d = _decimal(repr(value) if isinstance(value, float) else value, attr or self.name, "the rate")
        if d > 10 or d != d.quantize(Decimal("0.001")):
            raise ValidationError(Text(f"{attr or self.name}: at most 10 ‰ a day, with at most three decimals",
                                       f"{attr or self.name}: 每日最多 10‰，最多三位小数"))
        return d


# --- the cashier desk (收银台) and its corrections ----------------------------------------------


class CashierPaymentSchema(Schema):
    """A payment at the desk: the unit, which lines (ids, or ``oldest_first``), method, payer, amount in fen.

    ``tendered_fen`` (cash only) is what the payer handed over; the answer gives the change due. Paying
    more than is open needs ``confirm: true`` (the surplus goes to the prepaid balance).
    """

    class Meta:
        unknown = RAISE

    unit_id = fields.Integer(required=True)
    lines = fields.List(fields.Integer(), load_default=None, allow_none=True)
    oldest_first = fields.Boolean(load_default=False)
    method = fields.String(required=True, validate=validate.OneOf([m for m in METHODS if m != "prepaid"]))
    payer = fields.String(load_default="", validate=validate.Length(max=200))
    reference = fields.String(load_default="", validate=validate.Length(max=200))
    amount_fen = Fen(required=True)
    tendered_fen = Fen(load_default=None, allow_none=True)
    paid_on = fields.Date(load_default=None, allow_none=True)
    confirm = fields.Boolean(load_default=False)

    @validates_schema
    def _lines_or_oldest(self, data, **kwargs):
        if data.get("lines") and data.get("oldest_first"):
            raise ValidationError(Text("lines: tick lines or choose oldest first, not both",
                                       "lines: 勾选明细或选择“按账龄从早到晚”，二者选一"), "lines")
        tendered = data.get("tendered_fen")
        if tendered is not None:
            if data.get("method") != "cash":
                raise ValidationError(Text("tendered_fen: only cash is tendered (change is given in cash)",
                                           "tendered_fen: 只有现金收款才填写实收现金"), "tendered_fen")
            if tendered < data.get("amount_fen", 0):
                raise ValidationError(Text("tendered_fen: less than the amount to pay",
                                           "tendered_fen: 实收现金少于收款金额"), "tendered_fen")


class PaymentReversalSchema(Schema):
    """红冲 of a payment: a reason and, when the company asks for it, the second person's own login."""

    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(1, 300))
    second_username = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=150))
    second_password = fields.String(load_default=None, allow_none=True, load_only=True,
                                    validate=validate.Length(max=200))


class ChargeReversalSchema(Schema):
    """Reversal (冲销) of a charge line: the reason."""

    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(1, 300))


class DailyCloseSchema(Schema):
    """A daily close (日清) as returned, and what closing takes (estate, day, cashier)."""

    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(required=True)
    business_day = fields.Date(load_default=None, allow_none=True)
    cashier_id = fields.Integer(load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=400))
    payments = fields.Integer(dump_only=True)
    received_fen = fields.Integer(dump_only=True)
    voids = fields.Integer(dump_only=True)
    voided_fen = fields.Integer(dump_only=True)
    net_fen = fields.Integer(dump_only=True)
    cash_fen = fields.Integer(dump_only=True)
    card_fen = fields.Integer(dump_only=True)
    wechat_fen = fields.Integer(dump_only=True)
    alipay_fen = fields.Integer(dump_only=True)
    transfer_fen = fields.Integer(dump_only=True)
    first_receipt_no = fields.String(dump_only=True)
    last_receipt_no = fields.String(dump_only=True)
    closed_by_id = fields.Integer(dump_only=True)
    closed_at = fields.DateTime(dump_only=True)


label_fields(globals(), FIELDS, CHOICES)
