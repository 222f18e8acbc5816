"""Schemas of assignment (teams, members, dispatch rules, assignments): admin forms and API bodies."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.models.assignment import DispatchMode

_RULE_MODES = [m.value for m in DispatchMode if m != DispatchMode.reassign]


class TeamSchema(Schema):
    """A team (班组) of one estate."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(required=True, strict=True, metadata={"label": "Estate", "label_zh": "小区"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=120),
                         metadata={"label": "Name", "label_zh": "班组名称", "description": "e.g. 水电班"})
    kind = fields.String(load_default="", validate=validate.Length(max=64),
                         metadata={"label": "Trade or department", "label_zh": "工种/部门"})
    supervisor_id = fields.Integer(load_default=None, allow_none=True, strict=True,
                                   metadata={"label": "Supervisor", "label_zh": "班长"})
    active = fields.Boolean(load_default=True, metadata={"label": "Active", "label_zh": "启用"})


class TeamMemberSchema(Schema):
    """A member of a team; ``position`` orders the round robin."""

    id = fields.Integer(dump_only=True)
    team_id = fields.Integer(required=True, strict=True, metadata={"label": "Team", "label_zh": "班组"})
    staff_id = fields.Integer(required=True, strict=True, metadata={"label": "Member", "label_zh": "成员"})
    position = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=9999),
                              metadata={"label": "Order in the round robin", "label_zh": "轮派顺序"})
    active = fields.Boolean(load_default=True, metadata={"label": "On duty", "label_zh": "在岗"})


class DispatchRuleSchema(Schema):
    """How records of a category are dispatched at an estate (派工规则)."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(required=True, strict=True, metadata={"label": "Estate", "label_zh": "小区"})
    category = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$", error="a category such as repairs or repairs.plumbing (lower case, dots)"),
        metadata={"label": "Category", "label_zh": "类别", "description": "e.g. repairs.plumbing"})
    mode = fields.Enum(DispatchMode, by_value=True, load_default=DispatchMode.assign,
                       validate=validate.OneOf([DispatchMode(m) for m in _RULE_MODES],
                                               error="choose assign, grab or round_robin"),
                       metadata={"label": "Dispatch mode", "label_zh": "派工方式",
                                 "labels": {m: DispatchMode.__labels__[m] for m in _RULE_MODES}})
    team_id = fields.Integer(load_default=None, allow_none=True, strict=True,
                             metadata={"label": "Team", "label_zh": "班组"})
    default_assignee_id = fields.Integer(load_default=None, allow_none=True, strict=True,
                                         metadata={"label": "Default handler", "label_zh": "默认处理人"})
    last_assignee_id = fields.Integer(dump_only=True, metadata={"label": "Last in turn", "label_zh": "上次轮到"})


class AssignmentSchema(Schema):
    """One assignment of a record (read only: changed through assign, reassign, grab, release)."""

    id = fields.Integer(dump_only=True)
    record_table = fields.String(dump_only=True, metadata={"label": "Record type", "label_zh": "记录类型"})
    record_id = fields.Integer(dump_only=True, metadata={"label": "Record", "label_zh": "记录"})
    estate_id = fields.Integer(dump_only=True, metadata={"label": "Estate", "label_zh": "小区"})
    assignee_id = fields.Integer(dump_only=True, metadata={"label": "Assignee", "label_zh": "处理人"})
    team_id = fields.Integer(dump_only=True, metadata={"label": "Team", "label_zh": "班组"})
    mode = fields.Enum(DispatchMode, by_value=True, dump_only=True, metadata={"label": "Mode", "label_zh": "方式"})
    assigned_by_id = fields.Integer(dump_only=True, metadata={"label": "Assigned by", "label_zh": "派工人"})
    assigned_at = fields.AwareDateTime(dump_only=True, metadata={"label": "Assigned at", "label_zh": "派工时间"})
    ended_at = fields.AwareDateTime(dump_only=True, metadata={"label": "Ended at", "label_zh": "结束时间"})
    reason = fields.String(dump_only=True, metadata={"label": "Reason", "label_zh": "原因"})


class AssignBodySchema(Schema):
    """``POST /assignments``: who handles the record; ``reason`` is required when someone already holds it."""

    assignee_id = fields.Integer(load_default=None, allow_none=True, strict=True,
                                 metadata={"label": "Assignee", "label_zh": "处理人"})
    team_id = fields.Integer(load_default=None, allow_none=True, strict=True,
                             metadata={"label": "Team", "label_zh": "班组"})
    reason = fields.String(load_default="", validate=validate.Length(max=500),
                           metadata={"label": "Reason", "label_zh": "原因"})


class GrabBodySchema(Schema):
    """``POST /assignments/grab``: no body (or an empty object)."""


class ReleaseBodySchema(Schema):
    """``POST /assignments/release``: why (optional)."""

    reason = fields.String(load_default="", validate=validate.Length(max=500),
                           metadata={"label": "Reason", "label_zh": "原因"})


class DispatchBodySchema(Schema):
    """``POST /assignments/dispatch``: the category whose rule applies."""

    category = fields.String(required=True, validate=validate.Length(min=1, max=120),
                             metadata={"label": "Category", "label_zh": "类别", "description": "e.g. repairs.plumbing"})
