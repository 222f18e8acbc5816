"""Marshmallow schemas of the archive plugin: input validation for the screens and the API."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core import label_fields
from plugins.archive.labels import FIELDS
from plugins.archive.models import (
    AccessOutcome,
    ArchiveStatus,
    CensusResult,
    CensusStatus,
    DocumentType,
    Sensitivity,
)

_ID = {"strict": True, "validate": validate.Range(min=1, max=2**31 - 1)}


class OwnerArchiveSchema(Schema):
    """业主档案 (registered with ``register_archive``; closed with ``close_archive``)."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    unit_id = fields.Integer(required=True, **_ID)
    party_id = fields.Integer(required=True, **_ID)
    status = fields.Enum(ArchiveStatus, by_value=True, dump_only=True)
    opened_on = fields.Date(load_default=None, allow_none=True)
    closed_on = fields.Date(dump_only=True)
    location = fields.String(load_default="", validate=validate.Length(max=100))
    remarks = fields.String(load_default="", validate=validate.Length(max=1000))
    created_at = fields.AwareDateTime(dump_only=True)


class ArchiveDocumentSchema(Schema):
    """A document filed in an archive (``file_document``)."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(dump_only=True)
    archive_id = fields.Integer(required=True, **_ID)
    doc_type = fields.Enum(DocumentType, by_value=True, required=True)
    title = fields.String(load_default="", validate=validate.Length(max=200))
    dated_on = fields.Date(load_default=None, allow_none=True)
    pages = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1, max=10000))
    sensitivity = fields.Enum(Sensitivity, by_value=True, load_default=None, allow_none=True,
                              metadata={"description": "empty: contracts and certificates confidential, others normal"})
    filed_by_id = fields.Integer(dump_only=True)
    filed_at = fields.AwareDateTime(dump_only=True)


class AccessRequestSchema(Schema):
    """查阅申请: which confidential part of which archive, and why (decided through the workflow)."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(dump_only=True)
    archive_id = fields.Integer(required=True, **_ID)
    section = fields.String(load_default="identity", validate=validate.Length(min=1, max=64),
                            metadata={"description": "identity, contracts, or a confidential part of a plugin"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
    requester_id = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True)
    decided_by_id = fields.Integer(dump_only=True)
    decided_at = fields.AwareDateTime(dump_only=True)
    valid_until = fields.AwareDateTime(dump_only=True)
    requested_at = fields.AwareDateTime(dump_only=True)


class AccessEventSchema(Schema):
    """查阅登记: one opening, granted or refused (written by the plugin, never typed in)."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(dump_only=True)
    archive_id = fields.Integer(dump_only=True)
    actor_id = fields.Integer(dump_only=True)
    section = fields.String(dump_only=True)
    sensitivity = fields.Enum(Sensitivity, by_value=True, dump_only=True)
    outcome = fields.Enum(AccessOutcome, by_value=True, dump_only=True)
    request_id = fields.Integer(dump_only=True)
    reason = fields.String(dump_only=True)
    at = fields.AwareDateTime(dump_only=True)


class CensusRoundSchema(Schema):
    """住户普查轮次 (``open_round`` makes one line per unit)."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(required=True, **_ID)
    period = fields.String(dump_only=True)
    starts_on = fields.Date(dump_only=True)
    due_on = fields.Date(dump_only=True)
    status = fields.Enum(CensusStatus, by_value=True, dump_only=True)
    created_by_id = fields.Integer(dump_only=True)
    closed_at = fields.AwareDateTime(dump_only=True)
    reminded_on = fields.Date(dump_only=True)


class CensusEntrySchema(Schema):
    """One unit's census line: the result and, when changed, what changed."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(dump_only=True)
    round_id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    result = fields.Enum(CensusResult, by_value=True, required=True)
    notes = fields.String(load_default="", validate=validate.Length(max=1000))
    checked_by_id = fields.Integer(dump_only=True)
    checked_at = fields.AwareDateTime(dump_only=True)

    @validates_schema
    def _changed_needs_notes(self, data, **kwargs):
        if data.get("result") == CensusResult.changed and not (data.get("notes") or "").strip():
            raise ValidationError("say what changed (occupants, phone numbers)", "notes")
        if data.get("result") == CensusResult.pending:
            raise ValidationError("give confirmed, changed or unreachable", "result")


class OpenSectionSchema(Schema):
    """Query of ``GET /api/v1/archive/archives/<id>/open``: the part and why."""

    section = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))
    reason = fields.String(load_default="", validate=validate.Length(max=500))


label_fields(globals(), FIELDS)
