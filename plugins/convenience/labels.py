"""Convenience services' words in both languages: field and choice labels for the generated screens.

:func:`label_fields` (called at the end of ``schemas.py``) gives every schema field its (English, 中文)
label from :data:`FIELDS` by name and every choice field its value labels from :data:`CHOICES`,
unless the field declares its own ``label_zh`` / ``labels``. The enums carry their own ``__labels__``.
"""

from __future__ import annotations

from plugins.convenience.models import (
    BillingMode,
    CatalogueStatus,
    ChargeUnit,
    FeeKind,
    Frequency,
    OrderStatus,
    PrepayKind,
)
from plugins.convenience.models import Channel as OrderChannel

FIELDS: dict[str, tuple[str, str]] = {
    "id": ("Record no.", "记录号"),
    "active": ("Active", "启用"),
    "amount_fen": ("Amount (¥)", "金额（元）"),
    "approved_at": ("Approved at", "批准时间"),
    "billing_mode": ("Billing", "结算方式"),
    "category": ("Service category", "服务类别"),
    "channel": ("Booked by", "预约方式"),
    "code": ("Code", "编码"),
    "comment": ("Comment", "备注"),
    "confirmed_by": ("Confirmed by (customer)", "确认人"),
    "cost_fen": ("Cost (¥)", "成本（元）"),
    "customer_id": ("Customer", "客户"),
    "delivered_at": ("Service done at", "完成服务时间"),
    "department_id": ("Department", "部门"),
    "description": ("Description", "说明"),
    "lines": ("Lines", "明细"),
    "order_id": ("Service order", "服务登记单"),
    "agreement_id": ("Agreement", "委托服务单"),
    "posted_by_id": ("Posted by", "入账人"),
    "done_at": ("Done at", "完成时间"),
    "end_on": ("End date", "结束日期"),
    "estate_id": ("Estate", "小区"),
    "fee_kind": ("Free or paid", "有偿/无偿"),
    "for_offices": ("Offered to offices", "适用写字楼客户"),
    "for_residents": ("Offered to residents", "适用住户"),
    "for_shops": ("Offered to shops", "适用商铺"),
    "frequency": ("Frequency", "服务频次"),
    "item_id": ("Service item", "服务项目"),
    "method": ("Method", "方式"),
    "name": ("Name", "名称（英文）"),
    "name_zh": ("Chinese name", "名称"),
    "note": ("Note", "备注"),
    "notes": ("Notes", "备注"),
    "number": ("Number", "单号"),
    "partner": ("Partner company", "合作单位"),
    "period": ("Month", "月份"),
    "posted_at": ("Posted at", "入账时间"),
    "prepay_fen": ("Prepayment or deposit (¥)", "预交费用/押金（元）"),
    "prepay_kind": ("Paid in advance", "预交类型"),
    "price_fen": ("Price (¥)", "价格（元）"),
    "provider_company": ("Provider company", "服务提供单位"),
    "provider_department_id": ("Provider department", "服务提供部门"),
    "published_at": ("Published at", "公告时间"),
    "published_via": ("Published via", "公告方式"),
    "quantity": ("Quantity", "数量"),
    "reason": ("Reason", "原因"),
    "requested_for": ("Wanted at", "预约服务时间"),
    "satisfaction": ("Satisfaction (1-5)", "满意度（1-5）"),
    "service_record": ("Service record", "服务记录"),
    "signed_by_name": ("Signed by", "签字人"),
    "staff_id": ("Staff", "服务人员"),
    "start_on": ("Start date", "开始日期"),
    "status": ("Status", "状态"),
    "stop_reason": ("Reason for stopping", "终止原因"),
    "stopped_on": ("Stopped on", "终止日期"),
    "survey_respondents": ("Survey respondents", "调查人数"),
    "survey_summary": ("Survey summary", "调查汇总"),
    "target_hours": ("Target time (hours)", "承诺完成时限（小时）"),
    "title": ("Title", "标题"),
    "total_fen": ("Total (¥)", "合计（元）"),
    "unit_id": ("Unit", "房屋"),
    "unit_of_charge": ("Charged", "计价单位"),
    "version_no": ("Version", "版本号"),
    "visit_comment": ("Follow-up visit comment", "回访意见"),
    "year": ("Year", "年度"),
}


def _labels(*enums) -> dict[str, tuple[str, str]]:
    return {value: pair for e in enums for value, pair in e.__labels__.items()}


PAYMENT_METHODS = {"cash": ("Cash", "现金"), "card": ("Bank card", "刷卡"), "transfer": ("Bank transfer", "转账"),
                   "wechat": ("WeChat Pay", "微信支付"), "alipay": ("Alipay", "支付宝"),
                   "prepaid": ("From prepaid balance", "预存抵扣")}
CONFIRMATION_METHODS = {"signature": ("Customer's signature", "住户签字"), "phone": ("By phone", "电话确认"),
                        "in_person": ("In person", "当面确认"), "app": ("In the app", "APP确认"),
                        "sms": ("Text message", "短信确认")}
CHOICES: dict[str, dict[str, tuple[str, str]]] = {
    "fee_kind": _labels(FeeKind),
    "unit_of_charge": _labels(ChargeUnit),
    "prepay_kind": _labels(PrepayKind),
    "status": _labels(CatalogueStatus, OrderStatus),
    "channel": _labels(OrderChannel),
    "billing_mode": _labels(BillingMode),
    "frequency": _labels(Frequency),
}
