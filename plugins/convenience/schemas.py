"""Marshmallow schemas: the one place input to convenience records is validated (admin and API alike).

Unknown fields are refused (marshmallow's default ``RAISE``). In particular no order schema has a
"paid" field: whether an order is paid is read from billing, never set by hand (no private settlement,
私下结算).
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from core import Text, label_fields
from plugins.convenience.labels import CHOICES, FIELDS
from plugins.convenience.labels import CONFIRMATION_METHODS as CONFIRMATION_LABELS
from plugins.convenience.labels import PAYMENT_METHODS as PAYMENT_LABELS
from plugins.convenience.models import (
    BillingMode,
    CatalogueStatus,
    Channel,
    ChargeUnit,
    CustomerType,
    FeeKind,
    Frequency,
    OrderStatus,
    PrepayKind,
)

CATEGORIES = {
    # code: (English, 中文) - the manual's classes of free and paid services (004 P1, 001 L207)
    "business_info": ("Business and information", "商务信息服务"),
    "culture": ("Culture and entertainment", "文化娱乐服务"),
    "convenience_box": ("Convenience box", "便民箱"),
    "tuning": ("TV and intercom tuning", "调试电视节目、对讲系统"),
    "installation_repair": ("Installation, repair and replacement", "室内设备设施安装维修及更换"),
    "cleaning": ("Indoor cleaning", "室内清洁维护"),
    "plant_care": ("Indoor plant care", "室内绿化维护"),
    "pest_control": ("Indoor pest control", "室内消杀"),
    "office_services": ("Office services", "办公服务"),
    "house_sitting": ("House-sitting", "照看房屋"),
    "hourly_help": ("Hourly domestic help", "钟点工"),
    "festive_decoration": ("Festive decoration", "节日布置"),
    "meeting": ("Meeting management", "会务管理"),
    "car_care": ("Car care", "汽车美容服务"),
    "laundry": ("Laundry", "洗衣服务"),
    "moving": ("Moving and portering", "搬运服务"),
    "agency": ("Agency services", "代办代理服务"),
    "other": ("Other", "其他"),
}

CONFIRMATION_METHODS = ("signature", "phone", "in_person", "app", "sms")
PAYMENT_METHODS = ("cash", "card", "transfer", "wechat", "alipay", "prepaid")


def _values(enum_cls) -> list[str]:
    return [m.value for m in enum_cls]


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ItemSchema(_Strict):
    """A catalogue item (便民服务项目)."""

    id = fields.Int(dump_only=True)
    estate_id = fields.Int(required=True)
    code = fields.Str(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_.-]{1,32}$",
                                                              error=Text("use 1-32 letters, digits, '_', '.' or '-'",
                                                                         "编码为 1-32 个字母、数字、'_'、'.' 或 '-'")))
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    name_zh = fields.Str(load_default="", validate=validate.Length(max=200))
    category = fields.Str(load_default="other", validate=validate.OneOf(list(CATEGORIES)),
                          metadata={"labels": CATEGORIES})
    fee_kind = fields.Str(load_default=FeeKind.paid.value, validate=validate.OneOf(_values(FeeKind)))
    for_residents = fields.Bool(load_default=True)
    for_offices = fields.Bool(load_default=True)
    for_shops = fields.Bool(load_default=True)
    unit_of_charge = fields.Str(load_default=ChargeUnit.per_job.value, validate=validate.OneOf(_values(ChargeUnit)))
    price_fen = fields.Int(load_default=0, validate=validate.Range(min=0, error=Text("a price cannot be negative", "价格不能为负数")))
    prepay_kind = fields.Str(load_default=PrepayKind.none.value, validate=validate.OneOf(_values(PrepayKind)))
    prepay_fen = fields.Int(load_default=0, validate=validate.Range(min=0))
    provider_department_id = fields.Int(load_default=None, allow_none=True)
    provider_company = fields.Str(load_default="", validate=validate.Length(max=200))
    target_hours = fields.Int(load_default=None, allow_none=True, validate=validate.Range(min=1, max=24 * 90))
    active = fields.Bool(load_default=True)
    description = fields.Str(load_default="", validate=validate.Length(max=2000))

    @validates_schema
    def _consistent(self, data, partial=None, **_kw):
        errors: dict[str, list[str]] = {}
        fee_kind, price = data.get("fee_kind"), data.get("price_fen")
        if fee_kind == FeeKind.free.value and price:
            errors["price_fen"] = [Text("a free item (无偿服务) has no price; set 0 or make it paid",
                                           "无偿服务没有价格：请填 0，或改为有偿服务")]
        if fee_kind == FeeKind.paid.value and price == 0 and not partial:
            errors["price_fen"] = [Text("a paid item needs a price above ¥0", "有偿服务的价格须大于 0 元")]
        kind, amount = data.get("prepay_kind"), data.get("prepay_fen")
        if kind == PrepayKind.none.value and amount:
            errors["prepay_fen"] = [Text("no prepayment or deposit is required; set the amount to 0 or choose a kind",
                                            "预交类型为“无”：金额请填 0，或选择预交类型")]
        if kind in (PrepayKind.prepayment.value, PrepayKind.deposit.value) and amount == 0 and not partial:
            errors["prepay_fen"] = [Text(f"give the {kind} amount (above ¥0)",
                                            f"请填写{PrepayKind(kind).__labels__[kind][1]}金额（大于 0 元）")]
        if fee_kind == FeeKind.free.value and kind not in (None, PrepayKind.none.value):
            errors["prepay_kind"] = [Text("a free item takes no prepayment or deposit", "无偿服务不收预交费用或押金")]
        if not partial and not any(data.get(f"for_{c.value}", True) for c in CustomerType):
            errors["for_residents"] = [Text(
                "offer the item to at least one customer type (residents, offices, shops)",
                "至少选择一类适用客户（住户、写字楼客户、商铺）")]
        if errors:
            raise ValidationError(errors)


class VersionSchema(_Strict):
    """A catalogue version (《便民服务项目及价格表》 for a year)."""

    id = fields.Int(dump_only=True)
    estate_id = fields.Int(required=True)
    year = fields.Int(load_default=None, allow_none=True, validate=validate.Range(min=2000, max=2100))
    version_no = fields.Int(dump_only=True)
    title = fields.Str(load_default="", validate=validate.Length(max=200))
    status = fields.Str(dump_only=True, validate=validate.OneOf(_values(CatalogueStatus)))
    survey_summary = fields.Str(dump_only=True)
    survey_respondents = fields.Int(dump_only=True)
    published_via = fields.Str(dump_only=True)
    published_at = fields.DateTime(dump_only=True)
    approved_at = fields.DateTime(dump_only=True)


class ProposalSchema(_Strict):
    """Data for proposing a version to the general manager (optional demand-survey summary)."""

    survey_summary = fields.Str(load_default="", validate=validate.Length(max=20000))
    survey_respondents = fields.Int(load_default=None, allow_none=True, validate=validate.Range(min=0, max=2**31 - 1))


class PriceSchema(_Strict):
    """One row of a draft version's price list."""

    item_id = fields.Int(required=True)
    price_fen = fields.Int(required=True, validate=validate.Range(min=0))
    prepay_kind = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(_values(PrepayKind)))
    prepay_fen = fields.Int(load_default=None, allow_none=True, validate=validate.Range(min=0))


class OrderSchema(_Strict):
    """Booking a service (登记). Prices and amounts come from the published price list, not from input."""

    id = fields.Int(dump_only=True)
    number = fields.Str(dump_only=True)
    unit_id = fields.Int(required=True)
    customer_id = fields.Int(required=True)
    item_id = fields.Int(required=True)
    quantity = fields.Decimal(load_default=None, allow_none=True, places=2, as_string=True,
                              validate=validate.Range(min=0, min_inclusive=False, error=Text("quantity must be above 0", "数量须大于 0")))
    channel = fields.Str(load_default=None, allow_none=True,  # default: phone (api for the API)
                         validate=validate.OneOf([Channel.phone.value, Channel.visit.value, Channel.api.value]))
    billing_mode = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(_values(BillingMode)))
    requested_for = fields.AwareDateTime(load_default=None, allow_none=True)
    description = fields.Str(load_default="", validate=validate.Length(max=2000))
    # read-only, shown in lists and the API
    estate_id = fields.Int(dump_only=True)
    status = fields.Str(dump_only=True, validate=validate.OneOf(_values(OrderStatus)))
    price_fen = fields.Int(dump_only=True)
    amount_fen = fields.Int(dump_only=True)
    prepay_kind = fields.Str(dump_only=True)
    prepay_fen = fields.Int(dump_only=True)
    satisfaction = fields.Int(dump_only=True)


_ID = validate.Range(min=1, max=2**31 - 1)


class DispatchSchema(_Strict):
    """派工: to a department, a staff member and/or a partner company (default: the item's provider)."""

    department_id = fields.Int(load_default=None, allow_none=True, validate=_ID)
    staff_id = fields.Int(load_default=None, allow_none=True, validate=_ID)
    partner = fields.Str(load_default="", validate=validate.Length(max=200))


class PrepaySchema(_Strict):
    """收取预交款/押金: how the customer paid."""

    method = fields.Str(load_default="cash", validate=validate.OneOf(PAYMENT_METHODS), metadata={
        "label": "Payment method", "label_zh": "付款方式", "labels": PAYMENT_LABELS})


class DeliverSchema(_Strict):
    """完成服务: who did the work (if not the staff member dispatched), when, and what was done."""

    staff_id = fields.Int(load_default=None, allow_none=True, strict=True, validate=_ID)
    delivered_at = fields.AwareDateTime(load_default=None, allow_none=True)
    service_record = fields.Str(load_default="", validate=validate.Length(max=2000))


class PublishSchema(_Strict):
    """公告: where the price list was published."""

    published_via = fields.Str(load_default="notice board", validate=validate.Length(max=200))


class CancelSchema(_Strict):
    """取消: the reason (default: the comment)."""

    reason = fields.Str(load_default="", validate=validate.Length(max=2000))


class ConfirmSchema(_Strict):
    confirmed_by = fields.Str(required=True, validate=validate.Length(min=1, max=200,
                                                                      error=Text("name the customer who confirmed",
                                                                                 "请填写确认的住户姓名")))
    method = fields.Str(load_default="signature", validate=validate.OneOf(CONFIRMATION_METHODS), metadata={
        "label": "Confirmed by", "label_zh": "确认方式", "labels": CONFIRMATION_LABELS})


class ReturnVisitSchema(_Strict):
    satisfaction = fields.Int(required=True, strict=True, validate=validate.Range(
        min=1, max=5, error=Text("satisfaction is 1 (poor) to 5 (excellent)", "满意度为 1（差）到 5（很好）")))
    comment = fields.Str(load_default="", validate=validate.Length(max=2000))
    visit_comment = fields.Str(load_default="", validate=validate.Length(max=2000),
                               metadata={"description": "the customer's remarks (default: the comment)"})


class AgreementSchema(_Strict):
    """A long-term service agreement (委托服务单)."""

    id = fields.Int(dump_only=True)
    number = fields.Str(dump_only=True)
    unit_id = fields.Int(required=True)
    customer_id = fields.Int(required=True)
    item_id = fields.Int(required=True)
    frequency = fields.Str(required=True, validate=validate.OneOf(_values(Frequency)))
    quantity = fields.Decimal(load_default=None, allow_none=True, places=2, as_string=True,
                              validate=validate.Range(min=0, min_inclusive=False))
    start_on = fields.Date(required=True)
    end_on = fields.Date(load_default=None, allow_none=True)
    signed_by_name = fields.Str(load_default="", validate=validate.Length(max=200))
    notes = fields.Str(load_default="", validate=validate.Length(max=2000))
    active = fields.Bool(dump_only=True)
    price_fen = fields.Int(dump_only=True)
    stop_reason = fields.Str(dump_only=True)

    @validates_schema
    def _dates(self, data, **_kw):
        if data.get("end_on") and data.get("start_on") and data["end_on"] < data["start_on"]:
            raise ValidationError({"end_on": [Text("the end date is before the start date", "结束日期早于开始日期")]})


class StopAgreementSchema(_Strict):
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=2000,
                                                                error=Text("ask the customer why and record the reason",
                                                                           "请询问客户原因并记录")))
    stopped_on = fields.Date(load_default=None, allow_none=True)


class StatementLineSchema(_Strict):
    """One line of a monthly statement: a delivered order (``order_id``) or a month of an agreement."""

    id = fields.Int(dump_only=True)
    item_id = fields.Int(dump_only=True)
    order_id = fields.Int(dump_only=True, allow_none=True)
    agreement_id = fields.Int(dump_only=True, allow_none=True)
    description = fields.Str(dump_only=True)
    amount_fen = fields.Int(dump_only=True)


class StatementSchema(_Strict):
    """A monthly statement (《有偿便民服务月结统计表》); built by the service, never typed in.

    Returned with its ``lines``; ``POST /api/v1/convenience/statements/<id>/post`` sends it to billing."""

    id = fields.Int(dump_only=True)
    customer_id = fields.Int(required=True)
    unit_id = fields.Int(required=True)
    period = fields.Str(required=True, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$",
                                                                error=Text("a month like 2026-03", "月份格式如 2026-03")))
    total_fen = fields.Int(dump_only=True)
    posted_at = fields.DateTime(dump_only=True)
    posted_by_id = fields.Int(dump_only=True)
    lines = fields.List(fields.Nested(StatementLineSchema), dump_only=True)


class CostSchema(_Strict):
    """An item's cost for a month (profitability review)."""

    id = fields.Int(dump_only=True)
    item_id = fields.Int(required=True)
    period = fields.Str(required=True, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$",
                                                                error=Text("a month like 2026-03", "月份格式如 2026-03")))
    cost_fen = fields.Int(required=True, validate=validate.Range(min=0, error=Text("a cost cannot be negative", "成本不能为负数")))
    note = fields.Str(load_default="", validate=validate.Length(max=2000))


class ReviewSchema(_Strict):
    """The yearly review reminder (read-only: the job creates it, publishing a version closes it)."""

    id = fields.Int(dump_only=True)
    estate_id = fields.Int(dump_only=True)
    year = fields.Int(dump_only=True)
    done_at = fields.DateTime(dump_only=True)
    note = fields.Str(dump_only=True)


label_fields(globals(), FIELDS, CHOICES)
