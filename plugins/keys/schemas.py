"""Marshmallow 4 schemas of the keys plugin: the single source of input validation for the admin
screens and the API (the services check the business rules on top)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core import Text, label_fields, utcnow
from plugins.keys.labels import CHOICES, FIELDS
from plugins.keys.models import (
    BatchStatus,
    CheckResult,
    ConsentChannel,
    CountResult,
    CountStatus,
    CustodyReason,
    CustodyStatus,
    FacilityRoomKind,
    KeyStatus,
    KeyUse,
    LoanKind,
    LoanStatus,
    ReturnCondition,
    TaskStatus,
)

_name = validate.Length(min=1, max=200)
_text200 = validate.Length(max=200)
_text400 = validate.Length(max=400)
_slot = validate.Length(max=32)
USES = [u.value for u in KeyUse]
# a use may also be typed as its label, in either language ("维修, 抄表")
USE_BY_LABEL = {label.casefold(): value for value, pair in KeyUse.__labels__.items() for label in pair}


def _id(required: bool = False, **kw):
    if required:
        return fields.Integer(required=True, strict=True, validate=validate.Range(min=1), **kw)
    return fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(min=1), **kw)


class KeyUsesField(fields.String):
    """A list of key uses, given as a JSON list or as comma-separated text (``repairs, inspection``).

    A String subclass, so the admin renders it as a text box; the values are the ``KeyUse`` ids.
    """

    default_error_messages = {"invalid_use": Text(
        "Unknown use {use!r}; use some of: " + ", ".join(en for en, _ in KeyUse.__labels__.values()) + ".",
        "未知用途 {use!r}，可选：" + "、".join(zh for _, zh in KeyUse.__labels__.values()) + "。")}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            items = value.replace("，", ",").replace(";", ",").split(",")
        elif isinstance(value, list | tuple):
            items = list(value)
        else:
            raise self.make_error("invalid")
        out = []
        for item in items:
            if not isinstance(item, str):
                raise self.make_error("invalid")
            item = item.strip()
            if not item:
                continue
            item = USE_BY_LABEL.get(item.casefold(), item)
            if item not in USES:
                raise self.make_error("invalid_use", use=item)
            if item not in out:
                out.append(item)
        return out

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else list(value)


class FacilityRoomSchema(Schema):
    """A facility room (配电房, 监控室, 办公室) whose keys the office holds."""

    id = fields.Integer(dump_only=True)
    estate_id = _id(required=True)
    name = fields.String(required=True, validate=_name, metadata={"label_zh": "名称"})
    kind = fields.Enum(FacilityRoomKind, by_value=True, load_default=FacilityRoomKind.other)
    location = fields.String(load_default="", validate=_text200)
    responsible_staff_id = _id(metadata={"description": "谁使用谁管理: who keeps this room's key"})
    active = fields.Boolean(load_default=True)
    notes = fields.String(load_default="", validate=validate.Length(max=1000))


class KeySetSchema(Schema):
    """A key set: exactly one of ``unit_id`` / ``facility_room_id``; the status is a workflow state."""

    id = fields.Integer(dump_only=True)
    estate_id = _id(required=True)
    unit_id = _id()
    facility_room_id = _id()
    tag_no = fields.String(required=True, validate=validate.Length(min=1, max=32), metadata={"label_zh": "钥匙牌号"})
    key_type = fields.String(load_default="", validate=validate.Length(max=64))
    copies = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1, max=999))
    cabinet_slot = fields.String(load_default="", validate=_slot, metadata={"label_zh": "钥匙柜格位"})
    status = fields.Enum(KeyStatus, by_value=True, dump_only=True)
    holder_party_id = fields.Integer(dump_only=True)
    place = fields.String(dump_only=True)
    notes = fields.String(load_default="", validate=validate.Length(max=1000))
    created_at = fields.AwareDateTime(dump_only=True)

    @validates_schema
    def _one_place(self, data, partial=False, **kwargs):
        if partial:
            return
        if (data.get("unit_id") is None) == (data.get("facility_room_id") is None):
            raise ValidationError(Text("Give either a unit or a facility room, not both and not neither.",
                                       "房屋和设备房须二选一填写。"), "unit_id")


class HandoverLineSchema(Schema):
    """In: one key set on the developer's list. Out: its check result."""

    id = fields.Integer(dump_only=True)
    tag_no = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=32))
    unit_id = _id(load_only=True)
    facility_room_id = _id(load_only=True)
    copies = fields.Integer(load_default=1, strict=True, load_only=True, validate=validate.Range(min=1, max=999))
    key_type = fields.String(load_default="", load_only=True, validate=validate.Length(max=64))
    cabinet_slot = fields.String(load_default="", load_only=True, validate=_slot)
    key_set_id = fields.Integer(dump_only=True)
    expected_copies = fields.Integer(dump_only=True)
    counted_copies = fields.Integer(dump_only=True)
    result = fields.Enum(CheckResult, by_value=True, dump_only=True)
    remarks = fields.String(dump_only=True)
    checked_at = fields.AwareDateTime(dump_only=True)


class HandoverCheckSchema(Schema):
    """The one-by-one check of a handover line."""

    result = fields.Enum(CheckResult, by_value=True, required=True,
                         validate=validate.OneOf([CheckResult.present, CheckResult.missing, CheckResult.damaged]))
    counted_copies = fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(min=0))
    remarks = fields.String(load_default="", validate=_text400)


class HandoverBatchSchema(Schema):
    """A developer key handover batch with its lines."""

    id = fields.Integer(dump_only=True)
    estate_id = _id(required=True)
    number = fields.String(dump_only=True)
    phase = fields.String(load_default="", validate=validate.Length(max=64))
    developer_name = fields.String(load_default="", validate=_text200)
    developer_contact = fields.String(load_default="", validate=_text200)
    received_at = fields.AwareDateTime(allow_none=True, load_default=None)
    status = fields.Enum(BatchStatus, by_value=True, dump_only=True)
    seal_no = fields.String(dump_only=True)
    sealed_at = fields.AwareDateTime(dump_only=True)
    notes = fields.String(load_default="", validate=validate.Length(max=1000))
    lines = fields.List(fields.Nested(HandoverLineSchema), required=True, validate=validate.Length(min=1))


class AuthorisedPersonSchema(Schema):
    name = fields.String(required=True, validate=_name)
    phone = fields.String(load_default="", validate=validate.Length(max=40))
    relation = fields.String(load_default="", validate=validate.Length(max=64))


class CustodyAgreementSchema(Schema):
    """A 钥匙托管书: the owner's agreement to leave a key in custody."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    unit_id = _id(required=True)
    owner_id = _id(required=True)
    key_set_id = _id()
    reason = fields.Enum(CustodyReason, by_value=True, required=True)
    reason_detail = fields.String(load_default="", validate=_text400)
    permitted_uses = KeyUsesField(required=True, validate=validate.Length(min=1), metadata={
        "description": "uses the owner permits: a list, or comma-separated text",
        "type": "array", "items": {"type": "string", "enum": USES}})
    authorised_persons = fields.List(fields.Nested(AuthorisedPersonSchema), load_default=list)
    start_on = fields.Date(required=True)
    end_on = fields.Date(allow_none=True, load_default=None)
    owner_confirmed_at = fields.AwareDateTime(allow_none=True, load_default=None)
    confirmation_channel = fields.Enum(ConsentChannel, by_value=True, load_default=ConsentChannel.in_person)
    witnessed_by_id = _id()
    status = fields.Enum(CustodyStatus, by_value=True, dump_only=True)
    ended_at = fields.AwareDateTime(dump_only=True)
    end_note = fields.String(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)

    @validates_schema
    def _dates(self, data, **kwargs):
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            raise ValidationError(Text("The end date is before the start date.", "结束日期早于开始日期。"), "end_on")


class KeyLoanSchema(Schema):
    """A line of the 钥匙领(借)用登记表. Creating one lends the key (``lend_key``)."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    key_set_id = _id(required=True)
    kind = fields.Enum(LoanKind, by_value=True, dump_only=True)
    status = fields.Enum(LoanStatus, by_value=True, dump_only=True)
    from_status = fields.String(dump_only=True)
    custody_agreement_id = fields.Integer(dump_only=True)
    copies = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1, max=999))
    borrower_name = fields.String(required=True, validate=_name, metadata={"label_zh": "领(借)用人"})
    borrower_company = fields.String(load_default="", validate=_text200)
    borrower_id_number = fields.String(load_default="", validate=validate.Length(max=64))
    borrower_phone = fields.String(load_default="", validate=validate.Length(max=40))
    by_agent = fields.Boolean(dump_only=True, metadata={"label": "Agent with power of attorney", "label_zh": "受托人代办"})
    power_of_attorney_id = _id(metadata={"label": "Power of attorney (attachment id)", "label_zh": "业主委托书（附件编号）",
                                         "description": "only when the borrower comes as the owner's agent"})
    purpose = fields.Enum(KeyUse, by_value=True, required=True)
    purpose_detail = fields.String(load_default="", validate=_text400)
    approved_by_id = _id(required=True)
    approved_at = fields.AwareDateTime(dump_only=True)
    escort_id = _id()
    consent_by = fields.String(load_default="", validate=_text200)
    consent_at = fields.AwareDateTime(allow_none=True, load_default=None)
    consent_channel = fields.Enum(ConsentChannel, by_value=True, allow_none=True, load_default=None)
    issued_at = fields.AwareDateTime(allow_none=True, load_default=None)
    expected_return_at = fields.AwareDateTime(required=True)
    flagged_overdue_at = fields.AwareDateTime(dump_only=True)
    returned_at = fields.AwareDateTime(dump_only=True)
    returned_by_name = fields.String(dump_only=True)
    return_condition = fields.Enum(ReturnCondition, by_value=True, dump_only=True)
    door_closed = fields.Boolean(dump_only=True)
    contents_intact = fields.Boolean(dump_only=True)
    return_notes = fields.String(dump_only=True)

    @validates_schema
    def _return_after_issue(self, data, partial=False, **kwargs):
        expected = data.get("expected_return_at")
        if expected is not None and expected <= (data.get("issued_at") or utcnow()):
            raise ValidationError(Text("The expected return must be after the issue time.",
                                       "应归还时间须晚于借出时间。"), "expected_return_at")


class KeyReturnSchema(Schema):
    """Taking a lent key back."""

    returned_by_name = fields.String(load_default="", validate=_text200)
    condition = fields.Enum(ReturnCondition, by_value=True, load_default=ReturnCondition.intact)
    door_closed = fields.Boolean(allow_none=True, load_default=None)
    contents_intact = fields.Boolean(allow_none=True, load_default=None)
    notes = fields.String(load_default="", validate=_text400)
    returned_at = fields.AwareDateTime(allow_none=True, load_default=None)


class LockChangeTaskSchema(Schema):
    """A lock change opened when a key is reported lost (read-only: it moves by transitions)."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    key_set_id = fields.Integer(dump_only=True)
    loan_id = fields.Integer(dump_only=True)
    status = fields.Enum(TaskStatus, by_value=True, dump_only=True)
    description = fields.String(validate=validate.Length(max=1000))
    reported_at = fields.AwareDateTime(dump_only=True)
    done_at = fields.AwareDateTime(dump_only=True)
    done_note = fields.String(dump_only=True)
    new_copies = fields.Integer(dump_only=True)


class InventoryLineSchema(Schema):
    """A tag found during a count (create) and its result (out)."""

    id = fields.Integer(dump_only=True)
    count_id = _id(required=True)
    tag_no = fields.String(required=True, validate=validate.Length(min=1, max=32))
    found_slot = fields.String(load_default="", validate=_slot)
    remarks = fields.String(load_default="", validate=_text400)
    key_set_id = fields.Integer(dump_only=True)
    register_status = fields.String(dump_only=True)
    expected_in_cabinet = fields.Boolean(dump_only=True)
    expected_slot = fields.String(dump_only=True)
    found = fields.Boolean(dump_only=True)
    result = fields.Enum(CountResult, by_value=True, dump_only=True)


class InventoryCountSchema(Schema):
    """A monthly key inventory; creating one opens the month's count for an estate."""

    id = fields.Integer(dump_only=True)
    estate_id = _id(required=True)
    period = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$"))
    status = fields.Enum(CountStatus, by_value=True, dump_only=True)
    opened_at = fields.AwareDateTime(dump_only=True)
    closed_at = fields.AwareDateTime(dump_only=True)
    expected_count = fields.Integer(dump_only=True)
    found_count = fields.Integer(dump_only=True)
    discrepancy_count = fields.Integer(dump_only=True)
    notes = fields.String(load_default="", validate=validate.Length(max=1000))


# --- what the workflow transitions read (``Transition(schema=...)``; comment is always allowed) -----

class CopiesSchema(Schema):
    """Receiving or sealing a key set: how many copies are in the bag now (unchanged if not given)."""

    copies = fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(min=1, max=999))


class IssueToOwnerSchema(Schema):
    """交付业主: which owner of the unit signs for the keys."""

    owner_id = _id(required=True, metadata={"description": "the party (an owner of the unit) receiving the keys"})
    detail = fields.String(load_default="", validate=_text400)
    agent_name = fields.String(load_default="", validate=_text200,
                               metadata={"label": "Agent (with power of attorney)", "label_zh": "受托人姓名",
                                         "description": "leave empty when the owner signs in person"})
    agent_id_number = fields.String(load_default="", validate=validate.Length(max=64),
                                    metadata={"label": "Agent's ID number", "label_zh": "受托人身份证号"})
    power_of_attorney_id = _id(metadata={"label": "Power of attorney (attachment id)", "label_zh": "业主委托书（附件编号）"})


class NoteSchema(Schema):
    """A note kept with the step (ending a custody, releasing a key, cancelling a lock change)."""

    note = fields.String(load_default="", validate=_text400)


class ReportLostSchema(Schema):
    """挂失: how the key was lost (kept on the lock-change task)."""

    description = fields.String(load_default="", validate=validate.Length(max=1000))


class SealBatchSchema(Schema):
    """统一封存: the seal on the developer's keys."""

    seal_no = fields.String(required=True, validate=validate.Length(min=1, max=64),
                            metadata={"label_zh": "封条编号"})


class CloseCountSchema(Schema):
    """完成盘点: remarks on the count."""

    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class CompleteLockChangeSchema(Schema):
    """已换锁: the new keys cut, and whether the key set goes back into the cabinet."""

    new_copies = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=999))
    note = fields.String(load_default="", validate=validate.Length(max=1000))
    reseal = fields.Boolean(load_default=True)


class CancelLockChangeSchema(Schema):
    """取消换锁: why (the comment) and a note."""

    note = fields.String(load_default="", validate=validate.Length(max=1000))


label_fields(globals(), FIELDS, CHOICES)
