"""Generated screens and API resources of core assignment: 班组 (teams) and their members, 派工规则
(dispatch rules), 派工记录 (assignments, read only: they change through assign, reassign, grab and release
on the record's page and the API's action routes, :mod:`core.web.api.assignment`)."""

from __future__ import annotations

from core.assignment.schemas import AssignmentSchema, DispatchRuleSchema, TeamMemberSchema, TeamSchema
from core.errors import ValidationError
from core.models import StaffUser
from core.models.assignment import Assignment, DispatchMode, DispatchRule, Team, TeamMember
from core.text import Text
from core.web.specs import SERVICE_DESK_MENU, SETTINGS_MENU, AdminViewSpec, ApiResourceSpec


def _works_at(session, staff_id, estate_id, field: str) -> None:
    from core.assignment.service import works_for

    if staff_id is not None and not works_for(session.get(StaffUser, staff_id), estate_id):
        raise ValidationError({field: [Text(f"staff {staff_id} does not work for estate {estate_id}; choose someone "
                                            "who does", f"员工 {staff_id} 不在该小区工作，请选择该小区的员工")]})


def _team_at(session, team_id, estate_id) -> Team | None:
    team = session.get(Team, team_id) if team_id is not None else None
    if team_id is not None and (team is None or team.estate_id != estate_id):
        raise ValidationError({"team_id": [Text(f"team {team_id} is not a team of estate {estate_id}",
                                                f"班组 {team_id} 不属于该小区")]})
    return team


def create_team(session, actor, data: dict) -> Team:
    _works_at(session, data.get("supervisor_id"), data["estate_id"], "supervisor_id")
    row = Team(**data)
    session.add(row)
    return row


def create_member(session, actor, data: dict) -> TeamMember:
    team = session.get(Team, data["team_id"])
    if team is None:
        raise ValidationError({"team_id": ["choose an existing team"]})
    _works_at(session, data["staff_id"], team.estate_id, "staff_id")
    row = TeamMember(**data)
    session.add(row)
    return row


def create_rule(session, actor, data: dict) -> DispatchRule:
    team = _team_at(session, data.get("team_id"), data["estate_id"])
    _works_at(session, data.get("default_assignee_id"), data["estate_id"], "default_assignee_id")
    if data.get("mode") in (DispatchMode.grab, DispatchMode.round_robin) and team is None:
        raise ValidationError({"team_id": [Text("grab and round robin hand records to a team: choose the team",
                                                "抢单和轮派需要指定班组")]})
    row = DispatchRule(**data)
    session.add(row)
    return row


def update_rule(session, actor, rule: DispatchRule, data: dict) -> DispatchRule:
    merged = {c: getattr(rule, c) for c in ("estate_id", "category", "mode", "team_id", "default_assignee_id")}
    merged.update(data)
    _team_at(session, merged["team_id"], merged["estate_id"])
    _works_at(session, merged["default_assignee_id"], merged["estate_id"], "default_assignee_id")
    for key, value in data.items():
        setattr(rule, key, value)
    return rule


def admin_specs() -> list:
    return [
        AdminViewSpec(model=Team, schema=TeamSchema, name="core_teams", label="Teams", label_zh="班组",
                      view_permission="core.estates.view", edit_permission="core.assignment.manage",
                      list_columns=("name", "kind", "estate_id", "supervisor_id", "active"), search_fields=("name",),
                      filters=("estate_id", "active"), lookups={"estate_id": "estate", "supervisor_id": "staff"},
                      create_service=create_team, menu=SETTINGS_MENU, order=70),
        AdminViewSpec(model=TeamMember, schema=TeamMemberSchema, name="core_team_members", label="Team members",
                      label_zh="班组成员", view_permission="core.estates.view",
                      edit_permission="core.assignment.manage",
                      list_columns=("team_id", "staff_id", "position", "active"), filters=("team_id", "active"),
                      lookups={"team_id": "team", "staff_id": "staff"}, create_service=create_member,
                      can_delete=True, menu=SETTINGS_MENU, order=71),
        AdminViewSpec(model=DispatchRule, schema=DispatchRuleSchema, name="core_dispatch_rules",
                      label="Dispatch rules", label_zh="派工规则", view_permission="core.estates.view",
                      edit_permission="core.assignment.manage",
                      list_columns=("category", "mode", "estate_id", "team_id", "default_assignee_id"),
                      search_fields=("category",), filters=("estate_id", "mode"),
                      lookups={"estate_id": "estate", "team_id": "team", "default_assignee_id": "staff"},
                      create_service=create_rule, menu=SETTINGS_MENU, order=72),
        AdminViewSpec(model=Assignment, schema=AssignmentSchema, name="core_assignments", label="Assignments",
                      label_zh="派工记录", view_permission="core.assignment.report",
                      list_columns=("record_table", "record_id", "assignee_id", "team_id", "mode", "assigned_at",
                                    "ended_at", "reason"),
                      filters=("estate_id", "mode", "assignee_id", "team_id"), can_create=False, can_edit=False,
                      menu=SERVICE_DESK_MENU, order=40),
    ]


def api_specs() -> list:
    return [
        ApiResourceSpec(model=Team, schema=TeamSchema, path="teams", view_permission="core.estates.view",
                        edit_permission="core.assignment.manage", filters=("estate_id", "active"),
                        create_service=create_team),
        ApiResourceSpec(model=TeamMember, schema=TeamMemberSchema, path="team-members",
                        view_permission="core.estates.view", edit_permission="core.assignment.manage",
                        filters=("team_id", "staff_id", "active"), create_service=create_member, can_update=False),
        ApiResourceSpec(model=DispatchRule, schema=DispatchRuleSchema, path="dispatch-rules",
                        view_permission="core.estates.view", edit_permission="core.assignment.manage",
                        filters=("estate_id", "category", "mode"), create_service=create_rule,
                        update_service=update_rule),
    ]
