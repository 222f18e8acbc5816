"""Marshmallow schemas: validation of move-in batches, slots, cases, defects and of the workflow
steps' data (services, screens and API), with bilingual labels."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from plugins.move_in.labels import DEFECT_STATES, RESPONSIBLE


def _label(en: str, zh: str, **extra) -> dict:
    return {"label": en, "label_zh": zh, **extra}


def _id(en: str, zh: str, required: bool = False):
    if required:
        return fields.Integer(required=True, strict=True, validate=validate.Range(min=1), metadata=_label(en, zh))
    return fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(min=1),
                          metadata=_label(en, zh))


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class BatchSchema(_Strict):
    """开发商交房清单 / 入伙批次."""

    id = fields.Integer(dump_only=True, metadata=_label("ID", "编号"))
    number = fields.String(dump_only=True, metadata=_label("Number", "批次号"))
    estate_id = _id("Estate", "小区", required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100),
                         metadata=_label("Phase / buildings", "期数/楼栋"))
    developer_name = fields.String(load_default="", validate=validate.Length(max=200),
                                   metadata=_label("Developer", "开发商"))
    handed_over_on = fields.Date(allow_none=True, load_default=None, metadata=_label("Handed over on", "开发商移交日期"))
    move_in_from = fields.Date(allow_none=True, load_default=None, metadata=_label("Move-in from", "集中入伙开始"))
    move_in_to = fields.Date(allow_none=True, load_default=None, metadata=_label("Move-in to", "集中入伙结束"))
    notes = fields.String(load_default="", validate=validate.Length(max=1000), metadata=_label("Notes", "备注"))
    unit_ids = fields.List(fields.Integer(strict=True), load_only=True, load_default=list,
                           metadata=_label("Units handed over", "移交房屋"))


class SlotSchema(_Strict):
    """预约时段."""

    id = fields.Integer(dump_only=True, metadata=_label("ID", "编号"))
    estate_id = _id("Estate", "小区", required=True)
    batch_id = _id("Batch", "入伙批次")
    starts_at = fields.AwareDateTime(required=True, metadata=_label("Starts", "开始时间"))
    ends_at = fields.AwareDateTime(required=True, metadata=_label("Ends", "结束时间"))
    capacity = fields.Integer(load_default=10, strict=True, validate=validate.Range(min=1, max=1000),
                              metadata=_label("Capacity (owners)", "可接待户数"))


class CaseSchema(_Strict):
    """入伙办理: created by issuing the notice (入伙通知书); the rest is set by the workflow steps."""

    id = fields.Integer(dump_only=True, metadata=_label("ID", "编号"))
    number = fields.String(dump_only=True, metadata=_label("Number", "入伙编号"))
    status = fields.String(dump_only=True, metadata=_label("Status", "状态"))
    estate_id = fields.Integer(dump_only=True, metadata=_label("Estate", "小区"))
    unit_id = _id("Unit", "房屋", required=True)
    owner_id = _id("Owner", "业主")
    batch_id = _id("Batch", "入伙批次")
    notice_sent_on = fields.Date(allow_none=True, load_default=None, metadata=_label("Notice sent", "通知书发出日期"))
    notice_received_on = fields.Date(allow_none=True, load_default=None,
                                     metadata=_label("Notice received", "业主收到通知日期"))
    notified_by = fields.Date(dump_only=True, metadata=_label("Come by", "办理期限"))
    reminded_on = fields.Date(dump_only=True, metadata=_label("Reminded", "已催告"))
    slot_id = fields.Integer(dump_only=True, metadata=_label("Appointment", "预约时段"))
    id_checked = fields.Boolean(dump_only=True, metadata=_label("IDs checked", "身份证已核验"))
    contract_checked = fields.Boolean(dump_only=True, metadata=_label("Contract checked", "购房合同已核验"))
    persons = fields.Integer(dump_only=True, metadata=_label("Persons", "登记人数"))
    photos_count = fields.Integer(dump_only=True, metadata=_label("Photos", "照片张数"))
    agent_name = fields.String(dump_only=True, metadata=_label("Agent", "受托人"))
    agent_id_number = fields.String(dump_only=True, metadata=_label("Agent's ID", "受托人身份证号"))
    power_of_attorney_id = fields.Integer(dump_only=True, metadata=_label("Power of attorney", "业主委托书"))
    open_at_check_fen = fields.Integer(dump_only=True, metadata=_label("Open amount at check", "核对时欠费"))
    fees_paid_at = fields.AwareDateTime(dump_only=True, metadata=_label("Fees paid", "费用已缴"))
    inspected_at = fields.AwareDateTime(dump_only=True, metadata=_label("Inspected", "验房时间"))
    inspectors = fields.String(dump_only=True, metadata=_label("Inspectors", "验房人员"))
    water_reading = fields.String(dump_only=True, metadata=_label("Water meter", "水表读数"))
    electricity_reading = fields.String(dump_only=True, metadata=_label("Electricity meter", "电表读数"))
    gas_reading = fields.String(dump_only=True, metadata=_label("Gas meter", "燃气表读数"))
    signed_at = fields.AwareDateTime(dump_only=True, metadata=_label("Handover form signed", "收楼确认书签署"))
    signed_by_name = fields.String(dump_only=True, metadata=_label("Signed by", "签署人"))
    keys_issued_at = fields.AwareDateTime(dump_only=True, metadata=_label("Keys issued", "钥匙交付"))
    keys_count = fields.Integer(dump_only=True, metadata=_label("Key sets", "钥匙套数"))
    done_at = fields.AwareDateTime(dump_only=True, metadata=_label("Completed", "办结时间"))
    deemed_on = fields.Date(dump_only=True, metadata=_label("Deemed delivered", "视同交付日期"))
    handled_by_id = fields.Integer(dump_only=True, metadata=_label("Handled by", "经办人"))
    created_at = fields.AwareDateTime(dump_only=True, metadata=_label("Recorded", "创建时间"))


class DefectSchema(_Strict):
    """整改项: a defect found at the joint inspection."""

    id = fields.Integer(dump_only=True, metadata=_label("ID", "编号"))
    estate_id = fields.Integer(dump_only=True, metadata=_label("Estate", "小区"))
    case_id = _id("Move-in case", "入伙办理", required=True)
    location = fields.String(load_default="", validate=validate.Length(max=200), metadata=_label("Location", "部位"))
    description = fields.String(required=True, validate=validate.Length(min=1, max=1000),
                                metadata=_label("Defect", "问题描述"))
    responsible = fields.String(load_default="engineering", validate=validate.OneOf(list(RESPONSIBLE)),
                                metadata=_label("Rectified by", "整改责任", labels=RESPONSIBLE))
    state = fields.String(dump_only=True, metadata=_label("State", "状态", labels=DEFECT_STATES))
    due_on = fields.Date(dump_only=True, metadata=_label("Rectify by", "整改期限"))
    repair_order_id = fields.Integer(dump_only=True, metadata=_label("Repair order", "维修单"))
    repair_number = fields.String(dump_only=True, metadata=_label("Repair order no.", "维修单号"))
    rectified_on = fields.Date(dump_only=True, metadata=_label("Rectified", "整改完成"))
    reinspection_note = fields.String(dump_only=True, metadata=_label("Re-inspection", "复验结果"))


# --- data of the workflow steps -----------------------------------------------------------------

class BookSchema(_Strict):
    """预约: the slot the owner books."""

    slot_id = _id("Appointment slot", "预约时段", required=True)


class DocumentsSchema(_Strict):
    """资料核验 (KF08 §5.4.1): originals seen, copies and photos kept; an agent's power of attorney."""

    id_checked = fields.Boolean(load_default=False, metadata=_label("ID originals checked", "身份证原件已核验"))
    contract_checked = fields.Boolean(load_default=False,
                                      metadata=_label("Purchase contract checked", "购房合同已核验"))
    persons = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1, max=20),
                             metadata=_label("Persons (owner and household)", "登记人数（业主及家庭成员）"))
    photos_count = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=100),
                                  metadata=_label("One-inch photos received", "收到一寸照片张数"))
    agent_name = fields.String(load_default="", validate=validate.Length(max=200),
                               metadata=_label("Agent (leave empty if the owner came)", "受托人（业主本人办理则不填）"))
    agent_id_number = fields.String(load_default="", validate=validate.Length(max=64),
                                    metadata=_label("Agent's ID number", "受托人身份证号"))
    power_of_attorney_id = _id("Power of attorney (attachment id)", "业主委托书（附件编号）")


class InspectSchema(_Strict):
    """联合验房: who inspected and the meter readings at handover."""

    inspectors = fields.String(load_default="", validate=validate.Length(max=200),
                               metadata=_label("Inspectors", "验房人员"))
    water_reading = fields.String(load_default="", validate=validate.Length(max=32),
                                  metadata=_label("Water meter", "水表读数"))
    electricity_reading = fields.String(load_default="", validate=validate.Length(max=32),
                                        metadata=_label("Electricity meter", "电表读数"))
    gas_reading = fields.String(load_default="", validate=validate.Length(max=32),
                                metadata=_label("Gas meter", "燃气表读数"))


class SignSchema(_Strict):
    """收楼确认书: who signed (the owner, or the agent named on the case)."""

    signed_by_name = fields.String(load_default="", validate=validate.Length(max=200),
                                   metadata=_label("Signed by (empty: the owner)", "签署人（不填为业主本人）"))
