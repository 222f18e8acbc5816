"""Marshmallow schemas: validation of repair orders and categories (services, and any screen or API
built on them), with bilingual labels."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from plugins.repairs.labels import CHANNELS, DISPATCH_MODES, SATISFACTION, URGENCIES

_FEN = validate.Range(min=0, error="give the amount in whole fen, 0 or more")


def _label(en: str, zh: str, **extra) -> dict:
    return {"label": en, "label_zh": zh, **extra}


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class CategorySchema(_Strict):
    """A repair category (报修类别)."""

    id = fields.Integer(dump_only=True, metadata=_label("ID", "编号"))
    estate_id = fields.Integer(allow_none=True, load_default=None, metadata=_label("Estate", "小区"))
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,31}$", error=(
        "use lower-case letters, digits and _ (up to 32), starting with a letter, e.g. plumbing")),
        metadata=_label("Code", "代码"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=100), metadata=_label("Name", "名称"))
    name_zh = fields.String(required=True, validate=validate.Length(min=1, max=100),
                            metadata=_label("Chinese name", "中文名称"))
    dispatch_mode = fields.String(load_default="assign", validate=validate.OneOf(list(DISPATCH_MODES)),
                                  metadata=_label("Dispatch mode", "派工方式", labels=DISPATCH_MODES))
    paid = fields.Boolean(load_default=False, metadata=_label("Paid", "有偿"))
    labour_fen = fields.Integer(load_default=0, validate=_FEN, metadata=_label("Labour price (fen)", "人工费（分）"))
    active = fields.Boolean(load_default=True, metadata=_label("Active", "启用"))


class OrderSchema(_Strict):
    """A repair request (报修登记); the dump-only fields are set by the workflow and the services."""

    id = fields.Integer(dump_only=True, metadata=_label("ID", "编号"))
    number = fields.String(dump_only=True, metadata=_label("Number", "报修单号"))
    status = fields.String(dump_only=True, metadata=_label("Status", "状态"))
    received_at = fields.AwareDateTime(dump_only=True, metadata=_label("Received", "受理时间"))
    intake_id = fields.Integer(dump_only=True, metadata=_label("Reception record", "来电来访登记"))
    quote_accepted_at = fields.AwareDateTime(dump_only=True, metadata=_label("Price accepted", "业主接受报价时间"))
    charge_posted = fields.Boolean(dump_only=True, metadata=_label("Charged", "已计费"))
    diagnosis = fields.String(dump_only=True, metadata=_label("Diagnosis", "故障原因及处理"))
    arrived_at = fields.AwareDateTime(dump_only=True, metadata=_label("Arrived", "到场时间"))
    completed_at = fields.AwareDateTime(dump_only=True, metadata=_label("Completed", "完工时间"))
    confirmed_at = fields.AwareDateTime(dump_only=True, metadata=_label("Confirmed", "业主确认时间"))
    closed_at = fields.AwareDateTime(dump_only=True, metadata=_label("Closed", "关闭时间"))
    satisfaction = fields.String(dump_only=True, metadata=_label("Satisfaction", "满意度", labels=SATISFACTION))
    rework_count = fields.Integer(dump_only=True, metadata=_label("Rework", "返修次数"))
    unit_id = fields.Integer(allow_none=True, load_default=None, metadata=_label("Unit", "房屋"))
    estate_id = fields.Integer(allow_none=True, load_default=None, metadata=_label("Estate", "小区"))
    location = fields.String(load_default="", validate=validate.Length(max=200),
                             metadata=_label("Location", "报修位置"))
    reporter_party_id = fields.Integer(allow_none=True, load_default=None, metadata=_label("Reporter", "报修人"))
    reporter_name = fields.String(load_default="", validate=validate.Length(max=200),
                                  metadata=_label("Reporter name", "报修人姓名"))
    reporter_phone = fields.String(load_default="", validate=validate.Length(max=40),
                                   metadata=_label("Phone", "联系电话"))
    channel = fields.String(load_default="phone", validate=validate.OneOf(list(CHANNELS)),
                            metadata=_label("Channel", "来源渠道", labels=CHANNELS))
    category_id = fields.Integer(allow_none=True, load_default=None, metadata=_label("Category", "报修类别"))
    description = fields.String(required=True, validate=validate.Length(min=1, max=4000),
                                metadata=_label("Description", "报修内容"))
    urgency = fields.String(load_default="normal", validate=validate.OneOf(list(URGENCIES)),
                            metadata=_label("Urgency", "紧急程度", labels=URGENCIES))
    booked_at = fields.AwareDateTime(allow_none=True, load_default=None, metadata=_label("Booked time", "预约维修时间"))
    on_price_list = fields.Boolean(load_default=True, metadata=_label("On the price list", "在收费标准内"))
    paid = fields.Boolean(metadata=_label("Paid", "有偿"))
    warranty = fields.Boolean(load_default=False, metadata=_label("Under warranty", "保修期内"))
    labour_fen = fields.Integer(load_default=0, validate=_FEN, metadata=_label("Labour (fen)", "人工费（分）"))
    material_fen = fields.Integer(load_default=0, validate=_FEN, metadata=_label("Materials (fen)", "材料费（分）"))


class CompleteSchema(_Strict):
    """Data of the step ``complete``: what was found and done."""

    diagnosis = fields.String(load_default="", validate=validate.Length(max=2000),
                              metadata=_label("Diagnosis and work done", "故障原因及处理"))


class ConfirmSchema(_Strict):
    """Data of the step ``confirm``: the owner's satisfaction."""

    satisfaction = fields.String(load_default="satisfied", validate=validate.OneOf(["satisfied"]),
                                 metadata=_label("Satisfaction", "满意度"))
