"""Renovation's words in both languages: field labels and choice labels for the generated screens.

:func:`label_fields` (called at the end of ``schemas.py``) gives every schema field its (English, 中文)
label from :data:`FIELDS` by name and every choice field its value labels from :data:`CHOICES`,
unless the field declares its own ``label_zh`` / ``labels``. Scope items, undertakings and finding
codes take their names from the rule files in ``data/``.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from core.models import UnitStatus
from plugins.renovation.rules import finding_codes, scope_items, undertakings

FIELDS: dict[str, tuple[str, str]] = {
    "id": ("ID", "编号"),
    "acceptance_round": ("Acceptance round", "验收轮次"),
    "applicant_id": ("Applicant", "申请人"),
    "applicant_kind": ("Applicant is", "申请人身份"),
    "application_id": ("Renovation application", "装修申请"),
    "applied_on": ("Applied on", "申请日期"),
    "approved_by_id": ("Approved by", "审批人"),
    "approver": ("Second approver (staff)", "复核审批人（员工）"),
    "at": ("Inspected at", "巡查时间"),
    "checks": ("Checks", "检查项目"),
    "closed_water_test_hours": ("Closed-water test (hours)", "闭水试验（小时）"),
    "code": ("Rule", "违规条款"),
    "consent_document": ("Owner's consent document", "业主同意书"),
    "consenting_owner_id": ("Consenting owner", "同意装修的业主"),
    "contractor_licence_no": ("Contractor's business licence no.", "装修企业营业执照号"),
    "contractor_name": ("Contractor", "装修企业"),
    "contractor_party_id": ("Contractor (party)", "装修企业（档案）"),
    "contractor_phone": ("Contractor's phone", "装修企业电话"),
    "contractor_qualification_no": ("Contractor's qualification no.", "装修资质证书号"),
    "contractor_site_manager": ("Site manager", "现场负责人"),
    "created_at": ("Created at", "创建时间"),
    "cs_opinion": ("Customer-service opinion", "客服初审意见"),
    "damage_fen": ("Damage deducted (¥)", "损坏扣款（元）"),
    "damage_reason": ("Damage reason", "损坏原因"),
    "day": ("Day", "日期"),
    "deadline": ("Rectify by", "整改期限"),
    "decision_note": ("Decision note", "审批意见"),
    "deduction_fen": ("Deduction (¥)", "扣款（元）"),
    "deposit_fen": ("Deposit (¥)", "装修保证金（元）"),
    "deposit_required_fen": ("Deposit required (¥)", "应交装修保证金（元）"),
    "description": ("Description", "说明"),
    "detected_at": ("Detected at", "发现时间"),
    "drawings": ("Drawings", "装修图纸"),
    "engineering_opinion": ("Engineering opinion", "工程部审核意见"),
    "escalated_to": ("Escalated to", "上报至"),
    "estate_id": ("Estate", "小区"),
    "evidence": ("Evidence", "证据"),
    "expires_on": ("Expires on", "有效期至"),
    "findings": ("Findings", "巡查发现"),
    "fire_extinguisher": ("Fire extinguisher on site", "现场配备灭火器"),
    "id_number": ("ID number", "身份证号"),
    "inspection_id": ("Inspection", "巡查记录"),
    "inspector_id": ("Inspector", "巡查人"),
    "issued_at": ("Issued at", "发证时间"),
    "kind": ("Type", "类型"),
    "load_w": ("Electrical load (W)", "用电负荷（瓦）"),
    "manager_inspections": ("Manager's patrols", "主任巡查次数"),
    "manager_opinion": ("Manager's decision", "管理处审批意见"),
    "name": ("Name", "姓名"),
    "note": ("Note", "备注"),
    "notes": ("Notes", "备注"),
    "number": ("Number", "编号"),
    "opinion": ("Opinion", "审核意见"),
    "pass_fee_fen": ("Pass fee (¥)", "出入证工本费（元）"),
    "passed": ("Passed", "验收合格"),
    "permit_no": ("Permit no.", "装修许可证号"),
    "phone": ("Phone", "电话"),
    "planned_end": ("Planned end", "计划完工日期"),
    "planned_start": ("Planned start", "计划开工日期"),
    "previous_end": ("Previous end", "原完工日期"),
    "previous_unit_status": ("Unit status before", "装修前房屋状态"),
    "reason": ("Reason", "原因"),
    "rectification_items": ("Items to rectify", "整改项目"),
    "refund_fen": ("Refund (¥)", "退还金额（元）"),
    "required": ("Required patrols", "规定巡查次数"),
    "requested_end": ("Requested end", "申请延至"),
    "returned_at": ("Returned at", "交回时间"),
    "round": ("Round", "轮次"),
    "scope": ("Scope of works", "装修项目"),
    "scope_notes": ("Scope notes", "装修项目说明"),
    "self_renovation": ("Owner renovates without a contractor", "自行装修"),
    "settled_at": ("Settled at", "结算时间"),
    "skill_certificate_no": ("Skill certificate no.", "上岗证号"),
    "slab_drilling": ("Slab drilling", "楼板打孔"),
    "status": ("Status", "状态"),
    "suspend": ("Suspend the works", "责令停工"),
    "suspended_works": ("Works suspended", "已停工"),
    "trade": ("Trade", "工种"),
    "undertakings": ("Undertakings signed", "承诺事项"),
    "unit_id": ("Unit", "房屋"),
    "violation_deductions_fen": ("Violation deductions (¥)", "违章扣款（元）"),
    "waste_fee_fen": ("Waste removal fee (¥)", "垃圾清运费（元）"),
    "worker_guarantee_ref": ("Workers' guarantee ref.", "施工人员担保书编号"),
    "worker_id": ("Worker", "施工人员"),
    "workers": ("Workers", "施工人员"),
    "works_observed": ("Works in progress", "正在施工"),
}

TRADES = {"general": ("General labour", "普工"), "electrician": ("Electrician", "电工"), "plumber": ("Plumber", "水管工"),
          "gas_fitter": ("Gas fitter", "燃气工"), "carpenter": ("Carpenter", "木工"), "tiler": ("Tiler", "泥瓦工"),
          "painter": ("Painter", "油漆工"), "welder": ("Welder", "电焊工"), "other": ("Other", "其他")}
INSPECTION_KINDS = {"cs": ("Customer service", "客服"), "engineering": ("Engineering", "工程部"),
                    "security": ("Security", "保安部"), "manager": ("Office manager", "管理处主任")}
FINDINGS = {code: (rule["name"], rule["name_zh"]) for code, rule in finding_codes().items()}
CHOICES: dict[str, dict[str, tuple[str, str]]] = {
    "scope": {i["code"]: (i["name"], i["name_zh"]) for i in scope_items()},
    "undertakings": {u["code"]: (u["name"], u["name_zh"]) for u in undertakings()},
    "code": FINDINGS,
    "trade": TRADES,
    "kind": {**INSPECTION_KINDS},
    "previous_unit_status": dict(getattr(UnitStatus, "__labels__", {})),
    "applicant_kind": {"owner": ("Owner", "业主"), "occupant": ("Occupant (with the owner's consent)", "使用人")},
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
