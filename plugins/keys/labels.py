"""The keys plugin's words in both languages: field labels for the generated screens.

:func:`label_fields` (called at the end of ``schemas.py``) gives every schema field its
(English, 中文) label from :data:`FIELDS` by name, unless the field declares its own ``label_zh``.
Enum values carry their own labels (``__labels__`` on the enums in ``models``).
"""

from __future__ import annotations

from marshmallow import Schema, fields

from plugins.keys.models import KeyStatus

FIELDS: dict[str, tuple[str, str]] = {
    "id": ("ID", "编号"),
    "active": ("Active", "启用"),
    "approved_at": ("Approved at", "批准时间"),
    "approved_by_id": ("Approved by", "批准人"),
    "authorised_persons": ("Authorised persons", "授权人"),
    "borrower_company": ("Borrower's company", "借用人单位"),
    "borrower_id_number": ("Borrower's ID number", "借用人证件号"),
    "borrower_name": ("Borrower", "领(借)用人"),
    "borrower_phone": ("Borrower's phone", "借用人电话"),
    "cabinet_slot": ("Cabinet slot", "钥匙柜格位"),
    "checked_at": ("Checked at", "核对时间"),
    "closed_at": ("Closed at", "结束时间"),
    "comment": ("Comment", "备注"),
    "condition": ("Condition on return", "归还状况"),
    "confirmation_channel": ("Owner confirmed by", "业主确认方式"),
    "consent_at": ("Consent given at", "业主同意时间"),
    "consent_by": ("Consent given by", "同意人"),
    "consent_channel": ("Consent given by", "同意方式"),
    "contents_intact": ("Contents intact", "室内物品完好"),
    "copies": ("Copies", "把数"),
    "count_id": ("Inventory count", "盘点单"),
    "counted_copies": ("Copies counted", "实点把数"),
    "created_at": ("Created at", "创建时间"),
    "custody_agreement_id": ("Custody agreement", "托管协议"),
    "description": ("Description", "说明"),
    "detail": ("Details", "详细说明"),
    "developer_contact": ("Developer's contact", "开发商联系人"),
    "developer_name": ("Developer", "开发商"),
    "discrepancy_count": ("Discrepancies", "差异数"),
    "done_at": ("Done at", "完成时间"),
    "done_note": ("Completion note", "完成说明"),
    "door_closed": ("Door closed", "门已关好"),
    "end_note": ("Closing note", "结束说明"),
    "end_on": ("End date", "结束日期"),
    "ended_at": ("Ended at", "结束时间"),
    "escort_id": ("Escort", "陪同人"),
    "estate_id": ("Estate", "小区"),
    "expected_copies": ("Copies expected", "应有把数"),
    "expected_count": ("Key sets expected", "应有钥匙套数"),
    "expected_in_cabinet": ("Expected in the cabinet", "应在柜内"),
    "expected_return_at": ("Return due at", "应归还时间"),
    "expected_slot": ("Expected slot", "应在格位"),
    "facility_room_id": ("Facility room", "设备房"),
    "flagged_overdue_at": ("Flagged overdue at", "逾期标记时间"),
    "found": ("Found", "已找到"),
    "found_count": ("Key sets found", "实盘套数"),
    "found_slot": ("Found in slot", "实际格位"),
    "from_status": ("Status before", "借出前状态"),
    "holder_party_id": ("Held by", "持有人"),
    "issued_at": ("Issued at", "领用时间"),
    "key_set_id": ("Key set", "钥匙"),
    "key_type": ("Key type", "钥匙类型"),
    "kind": ("Type", "类型"),
    "lines": ("Keys", "钥匙明细"),
    "loan_id": ("Loan", "借用记录"),
    "location": ("Location", "位置"),
    "name": ("Name", "名称"),
    "new_copies": ("New copies", "新钥匙把数"),
    "note": ("Note", "备注"),
    "notes": ("Notes", "备注"),
    "number": ("Number", "单号"),
    "opened_at": ("Opened at", "开始时间"),
    "owner_confirmed_at": ("Owner confirmed at", "业主确认时间"),
    "owner_id": ("Owner", "业主"),
    "period": ("Period", "盘点期间"),
    "permitted_uses": ("Permitted uses", "允许用途"),
    "phase": ("Phase", "期数"),
    "phone": ("Phone", "电话"),
    "place": ("Place", "所在位置"),
    "purpose": ("Purpose", "用途"),
    "purpose_detail": ("Purpose details", "用途说明"),
    "reason": ("Reason", "原因"),
    "reason_detail": ("Reason details", "原因说明"),
    "received_at": ("Received at", "接收时间"),
    "register_status": ("Status in the register", "登记状态"),
    "relation": ("Relation to the owner", "与业主关系"),
    "remarks": ("Remarks", "备注"),
    "reported_at": ("Reported at", "报告时间"),
    "reseal": ("Seal again", "重新封存"),
    "responsible_staff_id": ("Responsible staff", "责任人"),
    "result": ("Result", "结果"),
    "return_condition": ("Condition on return", "归还状况"),
    "return_notes": ("Return notes", "归还说明"),
    "returned_at": ("Returned at", "归还时间"),
    "returned_by_name": ("Returned by", "归还人"),
    "seal_no": ("Seal number", "封条编号"),
    "sealed_at": ("Sealed at", "封存时间"),
    "start_on": ("Start date", "开始日期"),
    "status": ("Status", "状态"),
    "tag_no": ("Key tag no.", "钥匙牌号"),
    "unit_id": ("Unit", "房屋"),
    "witnessed_by_id": ("Witnessed by", "见证人"),
}

# String fields holding enum values (the enum's own labels)
KEY_STATUS = {m.value: m.__labels__[m.value] for m in KeyStatus}
CHOICES: dict[str, dict[str, tuple[str, str]]] = {"from_status": KEY_STATUS, "register_status": KEY_STATUS}


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
