"""Billing's words in both languages: field labels and choice labels for the generated screens.

The schemas keep their fields short; :func:`label_fields` (called at the end of ``schemas.py``)
gives every field its (English, 中文) label from :data:`FIELDS` by name, and every choice field its
value labels from :data:`CHOICES`, unless the field declares its own ``label_zh`` / ``labels``.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from plugins.billing.models import (
    BASES,
    CASE_STATUSES,
    CATEGORIES,
    CYCLES,
    DUNNING_KINDS,
    METHODS,
    PAYERS,
    ROUNDINGS,
)

FIELDS: dict[str, tuple[str, str]] = {
    "id": ("ID", "编号"),
    "active": ("Active", "启用"),
    "amount": ("Amount (¥)", "金额（元）"),
    "amount_fen": ("Amount (¥)", "金额（元）"),
    "approval_ref": ("Price approval ref.", "物价批文号"),
    "arrears": ("Arrears (¥)", "欠费金额（元）"),
    "arrears_fen": ("Arrears (¥)", "欠费金额（元）"),
    "assigned_role": ("Assigned role", "负责岗位"),
    "assignee_id": ("Assignee", "跟进人"),
    "basis": ("Charging basis", "计费方式"),
    "case_id": ("Arrears case", "欠费跟进单"),
    "category": ("Fee category", "费用类别"),
    "checked_by_id": ("Checked by", "复核人"),
    "closed_on": ("Closed on", "结案日期"),
    "code": ("Code", "编码"),
    "collector_id": ("Cashier", "收款人"),
    "confirm": ("Confirm", "确认"),
    "cycle": ("Billing cycle", "收费周期"),
    "description": ("Description", "说明"),
    "dispute_reason": ("Dispute reason", "争议原因"),
    "done_on": ("Done on", "完成日期"),
    "due_day": ("Due day of month", "每月缴费日"),
    "due_on": ("Due on", "应缴日期"),
    "effective_from": ("Effective from", "生效日期"),
    "estate_id": ("Estate", "小区"),
    "fee_item_id": ("Fee item", "收费项目"),
    "from_qty": ("From (quantity)", "起始用量"),
    "kind": ("Type", "类型"),
    "lines": ("Charges to settle", "核销的应收明细"),
    "meter_id": ("Meter", "表计"),
    "method": ("Payment method", "付款方式"),
    "name": ("Name", "名称（英文）"),
    "name_zh": ("Chinese name", "名称"),
    "new_meter_initial": ("New meter's initial reading", "新表起始读数"),
    "note": ("Note", "备注"),
    "old_meter_final": ("Old meter's final reading", "旧表最终读数"),
    "oldest_due_on": ("Oldest due date", "最早应缴日期"),
    "opened_on": ("Opened on", "立案日期"),
    "origin": ("Origin", "来源"),
    "overdue": ("Overdue", "已逾期"),
    "paid_on": ("Paid on", "收款日期"),
    "payer": ("Payer", "缴款人"),
    "period": ("Period", "账期"),
    "posted_on": ("Posted on", "入账日期"),
    "prepaid": ("Paid in advance", "预收"),
    "previous_value": ("Previous reading", "上次读数"),
    "price": ("Unit price (¥)", "单价（元）"),
    "price_cfen": ("Unit price (¥)", "单价（元）"),
    "promised_on": ("Promised payment date", "承诺缴费日期"),
    "read_by_id": ("Read by", "抄表人"),
    "read_on": ("Read on", "抄表日期"),
    "reason": ("Reason", "原因"),
    "receipt_no": ("Receipt no.", "收据号"),
    "reference": ("Reference", "交易流水号"),
    "replacement": ("Meter replaced", "换表"),
    "result": ("Result", "跟进结果"),
    "reversed_at": ("Reversed at", "冲销时间"),
    "rollover": ("Meter rolled over", "表计翻转"),
    "rounding": ("Rounding", "尾数处理"),
    "source": ("Source document", "来源单据"),
    "status": ("Status", "状态"),
    "tiers": ("Price tiers", "阶梯价格"),
    "to_prepaid": ("To prepaid (¥)", "转入预存（元）"),
    "to_qty": ("To (quantity)", "截止用量"),
    "unit_id": ("Unit", "房屋"),
    "unit_label": ("Quantity unit", "计量单位"),
    "unit_types": ("Unit types", "适用房屋类型"),
    "usage": ("Usage", "用量"),
    "value": ("Reading", "本次读数"),
}

# value -> (English, 中文) for every choice field, by field name
ORIGINS = {"run": ("Billing run", "批量计费"), "posted": ("Posted", "单笔入账"),
           "apportion": ("Apportioned", "公摊分摊"), "late_fee": ("Late fee", "滞纳金"),
           "reversal": ("Reversal", "冲销")}
METHOD_LABELS = {"cash": ("Cash", METHODS["cash"]), "card": ("Bank card", METHODS["card"]),
                 "transfer": ("Bank transfer", METHODS["transfer"]), "wechat": ("WeChat Pay", "微信支付"),
                 "alipay": ("Alipay", METHODS["alipay"]), "prepaid": ("From prepaid balance", METHODS["prepaid"])}
CHOICES: dict[str, dict[str, tuple[str, str]]] = {
    "category": {
        "property_service": ("Property service fee", CATEGORIES["property_service"]),
        "shared_utilities": ("Shared water and electricity", CATEGORIES["shared_utilities"]),
        "water": ("Water", CATEGORIES["water"]), "electricity": ("Electricity", CATEGORIES["electricity"]),
        "parking_management": ("Parking management fee", CATEGORIES["parking_management"]),
        "parking_rent": ("Parking rent", CATEGORIES["parking_rent"]),
        "renovation": ("Renovation fees", CATEGORIES["renovation"]),
        "convenience": ("Convenience services", CATEGORIES["convenience"]),
        "pass_through": ("Collected for others", CATEGORIES["pass_through"]), "other": ("Other", CATEGORIES["other"]),
    },
    "basis": {
        "built_area": ("Per m² of built area", "按建筑面积"), "interior_area": ("Per m² of interior area", "按套内面积"),
        "per_unit": ("Per unit", BASES["per_unit"]), "fixed": ("Fixed amount", BASES["fixed"]),
        "metered": ("Metered (tiered)", "按表计用量（阶梯）"), "per_parking_space": ("Per parking space", BASES["per_parking_space"]),
    },
    "cycle": {"monthly": ("Monthly", CYCLES["monthly"]), "quarterly": ("Quarterly", CYCLES["quarterly"]),
              "yearly": ("Yearly", CYCLES["yearly"]), "one_off": ("One-off", CYCLES["one_off"])},
    "rounding": {"half_up": ("Round half up to the fen", ROUNDINGS["half_up"]),
                 "down": ("Drop fractions of a fen", ROUNDINGS["down"])},
    "payer": {"owner": ("Owner", PAYERS["owner"]), "occupant": ("Occupant", PAYERS["occupant"])},
    "method": METHOD_LABELS,
    "kind": {"phone": ("Phone call", DUNNING_KINDS["phone"]), "sms": ("Text message", DUNNING_KINDS["sms"]),
             "notice": ("Posted notice", DUNNING_KINDS["notice"]), "visit": ("Home visit", DUNNING_KINDS["visit"]),
             "letter": ("Demand letter", DUNNING_KINDS["letter"]), "legal": ("Legal action", DUNNING_KINDS["legal"]),
             "hold": ("Held", "收取"), "deduct": ("Deducted", "扣除"), "refund": ("Refunded", "退还")},
    "status": {"open": ("Following up", CASE_STATUSES["open"]), "promised": ("Promised to pay", CASE_STATUSES["promised"]),
               "disputed": ("Disputed", CASE_STATUSES["disputed"]), "legal": ("Legal action", CASE_STATUSES["legal"]),
               "closed": ("Settled", CASE_STATUSES["closed"])},
    "origin": ORIGINS,
    # who follows an arrears case up (escalation moves it up the customer-service line)
    "assigned_role": {"cs_specialist": ("Customer-service specialist", "客服专员"),
                      "cs_supervisor": ("Customer-service supervisor", "客服主管"),
                      "cs_center_manager": ("Customer-service centre manager", "客户服务中心经理"),
                      "butler": ("Zone butler", "片区管家"), "cashier": ("Cashier / fee collector", "收费员"),
                      "office_manager": ("Management-office manager", "管理处经理"),
                      "general_manager": ("General manager", "总经理")},
    "unit_types": {"residential": ("Residential", "住宅"), "shop": ("Shop", "商铺"), "office": ("Office", "写字间"),
                   "parking": ("Parking space", "车位"), "storage": ("Storage room", "储藏室")},
}


def label_fields(namespace: dict, labels: dict[str, tuple[str, str]], choices: dict | None = None) -> None:
    """Label every field of the schemas defined in ``namespace`` (a module's ``globals()``) by its name.

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
                if isinstance(field, fields.List):
                    field.inner.metadata.setdefault("labels", values)
