"""Marshmallow schemas: the single source of validation for the admin screens and the API.

The services re-check everything (they are called from code too); the schemas give the same
field names and the same messages for bad input from forms and JSON.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate, validates_schema
from marshmallow import ValidationError as MmValidationError

from core import Text, label_fields
from plugins.renovation.applications import TRADES
from plugins.renovation.labels import CHOICES, FIELDS
from plugins.renovation.rules import finding_codes, scope_items, undertakings
from plugins.renovation.site import INSPECTION_KINDS

_SCOPE = validate.OneOf([i["code"] for i in scope_items()])
_UNDERTAKING = validate.OneOf([u["code"] for u in undertakings()])
_CODE = validate.OneOf(sorted(finding_codes()))
_FEN = validate.Range(min=0)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class WorkerSchema(_Strict):
    """A worker on the list (施工人员); ID number and phone are sensitive (masked in lists)."""

    id = fields.Integer(dump_only=True)
    application_id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    id_number = fields.String(required=True, validate=validate.Length(min=1, max=64))
    phone = fields.String(load_default="", validate=validate.Length(max=40))
    trade = fields.String(load_default="general", validate=validate.OneOf(TRADES))
    skill_certificate_no = fields.String(load_default="", validate=validate.Length(max=64))


class ApplicationSchema(_Strict):
    """装修申请审批表."""

    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    estate_id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(required=True)
    applicant_id = fields.Integer(required=True)
    applicant_kind = fields.String(dump_only=True)
    applied_on = fields.Date(load_default=None)
    consenting_owner_id = fields.Integer(load_default=None, allow_none=True)
    consent_document = fields.String(load_default="", validate=validate.Length(max=200))
    self_renovation = fields.Boolean(load_default=False)
    contractor_party_id = fields.Integer(load_default=None, allow_none=True)
    contractor_name = fields.String(load_default="", validate=validate.Length(max=200))
    contractor_licence_no = fields.String(load_default="", validate=validate.Length(max=64))
    contractor_qualification_no = fields.String(load_default="", validate=validate.Length(max=64))
    contractor_site_manager = fields.String(load_default="", validate=validate.Length(max=100))
    contractor_phone = fields.String(load_default="", validate=validate.Length(max=40))
    worker_guarantee_ref = fields.String(load_default="", validate=validate.Length(max=200))
    scope = fields.List(fields.String(validate=_SCOPE), required=True, validate=validate.Length(min=1))
    scope_notes = fields.String(load_default="")
    undertakings = fields.List(fields.String(validate=_UNDERTAKING), load_default=list)
    drawings = fields.List(fields.String(validate=validate.Length(min=1, max=255)), load_default=list)
    planned_start = fields.Date(required=True)
    planned_end = fields.Date(required=True)
    workers = fields.List(fields.Nested(WorkerSchema), load_default=list)
    cs_opinion = fields.String(dump_only=True)
    engineering_opinion = fields.String(dump_only=True)
    manager_opinion = fields.String(dump_only=True)
    deposit_required_fen = fields.Integer(dump_only=True)
    waste_fee_fen = fields.Integer(dump_only=True)
    pass_fee_fen = fields.Integer(dump_only=True)
    permit_no = fields.String(dump_only=True)
    previous_unit_status = fields.String(dump_only=True)
    acceptance_round = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)

    @validates_schema
    def _dates_and_contractor(self, data, **kwargs):
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            raise MmValidationError(Text(f"planned_end {end} is before planned_start {start}; give an end on or after it",
                                         f"计划完工日期 {end} 早于计划开工日期 {start}，请填写不早于开工的日期"),
                                    field_name="planned_end")
        if not data.get("self_renovation", False) and "contractor_name" in data and not data["contractor_name"]:
            raise MmValidationError(Text("give the contractor's name, or mark the application as self-renovation",
                                         "请填写装修企业名称，或勾选“自行装修”"),
                                    field_name="contractor_name")


class ApplicationUpdateSchema(ApplicationSchema):
    """Corrections while submitted or sent back for revision (unit and applicant stay)."""

    unit_id = fields.Integer(dump_only=True)
    applicant_id = fields.Integer(dump_only=True)
    workers = fields.List(fields.Nested(WorkerSchema), dump_only=True)


class ExtensionSchema(_Strict):
    """延期申请."""

    id = fields.Integer(dump_only=True)
    application_id = fields.Integer(required=True)
    requested_end = fields.Date(required=True)
    previous_end = fields.Date(dump_only=True)
    reason = fields.String(required=True, validate=validate.Length(min=1))
    status = fields.String(dump_only=True)
    decision_note = fields.String(dump_only=True)


class FindingSchema(_Strict):
    code = fields.String(required=True, validate=_CODE)
    note = fields.String(load_default="")


class InspectionSchema(_Strict):
    """装修巡查记录."""

    id = fields.Integer(dump_only=True)
    application_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(INSPECTION_KINDS))
    at = fields.AwareDateTime(load_default=None)
    findings = fields.List(fields.Nested(FindingSchema), load_default=list)
    notes = fields.String(load_default="")
    load_w = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    closed_water_test_hours = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    slab_drilling = fields.Boolean(load_default=None, allow_none=True)
    works_observed = fields.Boolean(load_default=None, allow_none=True)
    fire_extinguisher = fields.Boolean(load_default=None, allow_none=True)
    inspector_id = fields.Integer(dump_only=True)


class ViolationSchema(_Strict):
    """违章处理通知单."""

    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    application_id = fields.Integer(required=True)
    inspection_id = fields.Integer(load_default=None, allow_none=True)
    code = fields.String(required=True, validate=_CODE)
    description = fields.String(load_default="")
    evidence = fields.List(fields.String(), load_default=list)
    deadline = fields.Date(load_default=None)
    deduction_fen = fields.Integer(load_default=0, strict=True, validate=_FEN)
    suspend = fields.Boolean(load_default=False, load_only=True)
    suspended_works = fields.Boolean(dump_only=True)
    escalated_to = fields.String(load_default="")
    detected_at = fields.AwareDateTime(dump_only=True)


class WorkerPassSchema(_Strict):
    """临时出入证."""

    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    worker_id = fields.Integer(required=True)
    application_id = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True)
    expires_on = fields.Date(dump_only=True)
    issued_at = fields.AwareDateTime(dump_only=True)
    returned_at = fields.AwareDateTime(dump_only=True)


class AcceptanceCheckSchema(_Strict):
    """完工验收 (one side: engineering or CS)."""

    id = fields.Integer(dump_only=True)
    application_id = fields.Integer(required=True)
    round = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(("engineering", "cs")))
    passed = fields.Boolean(required=True)
    checks = fields.Dict(keys=fields.String(), values=fields.Boolean(), load_default=dict)
    rectification_items = fields.String(load_default="")


class SettlementSchema(_Strict):
    """保证金结算 (read-only: made by the settle_deposit transition)."""

    id = fields.Integer(dump_only=True)
    application_id = fields.Integer(dump_only=True)
    deposit_fen = fields.Integer(dump_only=True)
    violation_deductions_fen = fields.Integer(dump_only=True)
    damage_fen = fields.Integer(dump_only=True)
    damage_reason = fields.String(dump_only=True)
    refund_fen = fields.Integer(dump_only=True)
    approved_by_id = fields.Integer(dump_only=True)
    settled_at = fields.AwareDateTime(dump_only=True)


class ShortfallSchema(_Strict):
    """A day with fewer manager patrols than required (read-only, made by the daily job)."""

    id = fields.Integer(dump_only=True)
    application_id = fields.Integer(dump_only=True)
    day = fields.Date(dump_only=True)
    manager_inspections = fields.Integer(dump_only=True)
    required = fields.Integer(dump_only=True)


# --- what the workflow transitions read (``Transition(schema=...)``; comment is always allowed) -----
_STAFF_ID = validate.Range(min=1, max=2**31 - 1)
_MAX_FEN = validate.Range(min=0, max=99_999_999_999)


class OpinionSchema(_Strict):
    """初审 / 二审 / 审批意见: the ``opinion`` kept on the application (default: the transition's comment)."""

    opinion = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000),
                            metadata={"description": "the reviewer's opinion; the comment is kept if not given"})


class SettleDepositSchema(_Strict):
    """保证金结算: the second person approving the refund, and any damage deducted."""

    approver = fields.Integer(required=True, strict=True, validate=_STAFF_ID, metadata={
        "description": "staff id of a second person holding billing.approve_refund"})
    damage_fen = fields.Integer(load_default=0, strict=True, validate=_MAX_FEN)
    damage_reason = fields.String(load_default="", validate=validate.Length(max=400))
    refund_fen = fields.Integer(load_default=None, allow_none=True, strict=True, validate=_MAX_FEN, metadata={
        "description": "the refund you expect (checked against deposit less deductions)"})


class WithdrawSchema(_Strict):
    """撤回: with a deposit held, the second person approving its refund."""

    approver = fields.Integer(load_default=None, allow_none=True, strict=True, validate=_STAFF_ID, metadata={
        "description": "staff id approving the deposit refund (needed when a deposit is held)"})


class EscalateSchema(_Strict):
    """上报: who the violation goes to."""

    escalated_to = fields.String(load_default="", validate=validate.Length(max=200),
                                 metadata={"description": "manager, 城管, 房管, gas company ..."})


class VerifySchema(_Strict):
    """复查: what was checked."""

    note = fields.String(load_default="", validate=validate.Length(max=2000))


label_fields(globals(), FIELDS, CHOICES)
