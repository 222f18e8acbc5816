"""Assigning records (派工): assign, reassign (改派), grab (抢单), release, dispatch by rule.

A record is any mapped object with a single integer primary key and an ``estate_id`` (a repair order,
a complaint, an intake). Its assignments are rows of :class:`~core.models.assignment.Assignment`; the
current one has no ``ended_at``. Every change ends the current row and opens the next, so the
history is never rewritten, and copies the holder onto the record's open deadline (until it breached)
so the breach report can say who and which team held it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from core.clock import utcnow
from core.db import Base
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import StaffUser
from core.models.assignment import Assignment, DispatchMode, DispatchRule, Team, TeamMember
from core.models.workflow import WorkflowDeadline
from core.scoping import authorize, get_scoped
from core.text import Text


def identity(record) -> tuple[str, int, int | None]:
    """``(table, id, estate_id)`` of a record that can be assigned."""
    mapper = inspect(type(record))
    pk = mapper.primary_key_from_instance(record)
    if len(pk) != 1 or not isinstance(pk[0], int):
        raise TypeError(f"{type(record).__name__}: assignable records need a single integer primary key (flushed)")
    estate_id = getattr(record, "estate_id", None)
    return mapper.local_table.name, pk[0], estate_id if isinstance(estate_id, int) else None


def model_for_table(table: str) -> type | None:
    """The mapped class whose table is ``table`` (``repairs_orders`` -> ``RepairOrder``), or None."""
    for mapper in Base.registry.mappers:
        if getattr(mapper, "local_table", None) is not None and mapper.local_table.name == table:
            return mapper.class_
    return None


def load_record(session: Session, actor, table: str, record_id: int):
    """The record ``record_table``/``record_id`` if ``actor`` may see it, else ``NotFound``."""
    model = model_for_table(table or "")
    keys = inspect(model).primary_key if model is not None else ()
    if model is None or not hasattr(model, "estate_id") or len(keys) != 1 or \
            keys[0].type.python_type is not int:
        raise NotFound(f"no record table {table!r} that can be assigned; give record_table as a table name, "
                       "e.g. repairs_orders")
    return get_scoped(session, actor, model, record_id)


def current_assignment(session: Session, record) -> Assignment | None:
    """The record's current assignment (assignee and/or team), or None."""
    table, record_id, _estate = identity(record)
    return session.scalar(select(Assignment).where(
        Assignment.record_table == table, Assignment.record_id == record_id, Assignment.ended_at.is_(None))
        .order_by(Assignment.id.desc()).limit(1))


def assignment_history(session: Session, record) -> list[Assignment]:
    """Every assignment of the record, oldest first (the current one last, without ``ended_at``)."""
    table, record_id, _estate = identity(record)
    return list(session.scalars(select(Assignment).where(
        Assignment.record_table == table, Assignment.record_id == record_id)
        .order_by(Assignment.assigned_at, Assignment.id)))


def works_for(staff: StaffUser, estate_id: int | None) -> bool:
    """Whether ``staff`` is an active staff member of the estate (or of every estate)."""
    if staff is None or not staff.active:
        return False
    return estate_id is None or staff.all_estates or any(e.id == estate_id for e in staff.estates)


def _staff(session: Session, who, estate_id: int | None, field: str = "assignee") -> StaffUser:
    staff = who if isinstance(who, StaffUser) else session.get(StaffUser, who)
    if not works_for(staff, estate_id):
        raise ValidationError({field: [Text(
            f"{who} is not an active staff member of this record's estate; choose someone who works there",
            f"{who} 不是该小区的在职员工，请选择在该小区工作的人员")]})
    return staff


def _team(session: Session, which, estate_id: int | None) -> Team:
    team = which if isinstance(which, Team) else session.get(Team, which)
    if team is None or not team.active or (estate_id is not None and team.estate_id != estate_id):
        raise ValidationError({"team": [Text(
            f"team {which} is not an active team of this record's estate; choose one of the estate's teams",
            f"班组 {which} 不是该小区的有效班组，请选择该小区的班组")]})
    return team


def _follow(session: Session, table: str, record_id: int, assignee_id, team_id) -> None:
    """Copy the holder onto the record's open deadline, unless it already breached (then it is frozen)."""
    session.execute(update(WorkflowDeadline).where(
        WorkflowDeadline.record_table == table, WorkflowDeadline.record_id == record_id,
        WorkflowDeadline.closed_at.is_(None), WorkflowDeadline.escalated_at.is_(None))
        .values(assignee_id=assignee_id, team_id=team_id).execution_options(synchronize_session="fetch"))


def _end(session: Session, row: Assignment | None, now: dt.datetime, holder: str) -> None:
    """End ``row`` unless someone else ended it first (two people acting at once): Conflict."""
    if row is None:
        return
    done = session.execute(update(Assignment).where(Assignment.id == row.id, Assignment.ended_at.is_(None))
                           .values(ended_at=now).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        session.refresh(row)
        raise Conflict(Text(f"the assignment changed meanwhile ({holder}); reload the record and try again",
                            f"派工已被他人更改（{holder}），请刷新后重试"))
    session.refresh(row)


def refusal(session: Session, record, assignee: StaffUser) -> str | None:
    """Why ``assignee`` may not hold ``record``, from the plugins' ``wuye_check_assignee``, or None."""
    from core.context import wuye_of

    try:
        wuye = wuye_of(session)
    except RuntimeError:  # a bare session outside an instance: no plugin to ask
        return None
    found = [m for m in wuye.hook.wuye_check_assignee(session=session, record=record, assignee=assignee) if m]
    return found[0] if found else None


def _open(session: Session, record, *, assignee: StaffUser | None, team: Team | None, mode: DispatchMode,
          actor, reason: str, now: dt.datetime, previous: Assignment | None) -> Assignment:
    table, record_id, estate_id = identity(record)
    if assignee is not None:
        refused = refusal(session, record, assignee)
        if refused:  # every path to a named holder comes here: assign, reassign, grab, dispatch
            raise ValidationError({"assignee": [refused]})
    _end(session, previous, now, str(previous) if previous else "")
    row = Assignment(record_table=table, record_id=record_id, estate_id=estate_id,
                     assignee_id=assignee.id if assignee else None, team_id=team.id if team else None, mode=mode,
                     assigned_by_id=getattr(actor, "id", None), assigned_at=now, reason=(reason or "").strip())
    session.add(row)
    _follow(session, table, record_id, row.assignee_id, row.team_id)
    session.flush()
    _tell(session, record, row, actor, now)
    return row


def _tell(session: Session, record, row: Assignment, actor, now: dt.datetime) -> None:
    """In-app message (``core.record_assigned``) to the new assignee, or to the team's members when the
    record is offered to the team (抢单); nobody is told of his own doing, and a grab tells nobody."""
    from core.notifications import Audience
    from core.notifications.sending import send

    me = getattr(actor, "id", None)
    if row.mode == DispatchMode.grab and row.assignee_id is not None:
        return
    if row.assignee_id is not None:
        people = () if row.assignee_id == me else (row.assignee_id,)
    elif row.team_id is not None:
        people = tuple(m.id for m in active_members(session, session.get(Team, row.team_id)) if m.id != me)
    else:
        people = ()
    if not people:
        return
    how = {DispatchMode.reassign: "改派", DispatchMode.round_robin: "轮派"}.get(row.mode, "指派")
    context = {"offered": row.assignee_id is None, "team": row.team.name if row.team_id and row.team else "",
               "how": how, "by": str(actor) if actor is not None else "", "reason": row.reason}
    send(session, "core.record_assigned", Audience(staff_ids=people), context=context, record=record,
         estate_id=row.estate_id, now=now)


def assign(session: Session, record, *, assignee=None, team=None, actor, reason: str = "",
           now: dt.datetime | None = None) -> Assignment:
    """Assign ``record`` to ``assignee`` (a staff user or id) and/or ``team`` (a Team or id); a team
    alone offers it to the team (抢单). Replacing someone who already holds it is a reassignment and
    needs a ``reason``. Needs ``core.assignment.assign`` on the record's estate."""
    authorize(session, actor, "core.assignment.assign", target=record)
    current = current_assignment(session, record)
    if current is not None and current.assignee_id is not None and (
            assignee is None or _id(assignee) != current.assignee_id):
        return reassign(session, record, assignee=assignee, team=team, actor=actor, reason=reason, now=now)
    return _assign(session, record, assignee=assignee, team=team, actor=actor, reason=reason, now=now,
                   mode=DispatchMode.assign if assignee is not None else DispatchMode.grab)


def _id(who) -> int | None:
    return getattr(who, "id", who)


def _assign(session, record, *, assignee, team, actor, reason, now, mode) -> Assignment:
    _table, _rid, estate_id = identity(record)
    if assignee is None and team is None:
        raise ValidationError({"assignee": [Text("choose the person (or the team) who handles the record",
                                                 "请选择处理人（或班组）")]})
    staff = _staff(session, assignee, estate_id) if assignee is not None else None
    crew = _team(session, team, estate_id) if team is not None else None
    return _open(session, record, assignee=staff, team=crew, mode=mode, actor=actor, reason=reason,
                 now=now or utcnow(), previous=current_assignment(session, record))


def reassign(session: Session, record, *, assignee=None, team=None, actor, reason: str,
             now: dt.datetime | None = None) -> Assignment:
    """Hand ``record`` to someone else (改派); the ``reason`` is required and kept in the history."""
    authorize(session, actor, "core.assignment.assign", target=record)
    if not (reason or "").strip():
        raise ValidationError({"reason": [Text("say why the record is reassigned (e.g. the technician is ill)",
                                               "请填写改派原因（如：维修人员病假）")]})
    return _assign(session, record, assignee=assignee, team=team, actor=actor, reason=reason, now=now,
                   mode=DispatchMode.reassign)


def release(session: Session, record, actor, *, reason: str = "", now: dt.datetime | None = None) -> Assignment | None:
    """End the current assignment. A record that came through a team goes back to the team's grab
    pool (a new row offering it); otherwise nobody holds it. The assignee may release his own record;
    anyone else needs ``core.assignment.assign``. Returns the new offer, or None."""
    current = current_assignment(session, record)
    if current is None:
        return None
    own = actor is not None and current.assignee_id == actor.id
    authorize(session, actor, None if own else "core.assignment.assign", target=record)
    now = now or utcnow()
    if current.team_id is not None and current.assignee_id is not None:
        return _open(session, record, assignee=None, team=current.team, mode=DispatchMode.grab, actor=actor,
                     reason=reason, now=now, previous=current)
    table, record_id, _estate = identity(record)
    _end(session, current, now, str(current))
    _follow(session, table, record_id, None, None)
    session.flush()
    return None


def grab(session: Session, record, actor, *, now: dt.datetime | None = None) -> Assignment:
    """Take a record offered to one's team (抢单). The first grab wins; a later one gets ``Conflict``
    naming who has it. Needs ``core.assignment.grab`` and an active membership of the team."""
    authorize(session, actor, "core.assignment.grab", target=record)
    current = current_assignment(session, record)
    if current is None or current.team_id is None:
        raise Conflict(Text("this record is not offered to a team; ask the supervisor to assign it",
                            "该记录未开放抢单，请联系主管派工"))
    if current.assignee_id is not None:
        raise Conflict(Text(f"already taken by {current.assignee}", f"已被 {current.assignee} 抢单"))
    member = session.scalar(select(TeamMember).where(TeamMember.team_id == current.team_id,
                                                     TeamMember.staff_id == actor.id, TeamMember.active))
    if member is None:
        raise PermissionDenied(Text(f"only members of team {current.team} may grab this record",
                                    f"只有班组 {current.team} 的成员可以抢单"))
    try:
        return _open(session, record, assignee=actor, team=current.team, mode=DispatchMode.grab, actor=actor,
                     reason="", now=now or utcnow(), previous=current)
    except Conflict:
        taken = current_assignment(session, record)
        who = taken.assignee if taken is not None and taken.assignee is not None else "someone else"
        raise Conflict(Text(f"already taken by {who}", f"已被 {who} 抢单")) from None


def rule_for(session: Session, estate_id: int | None, category: str) -> DispatchRule | None:
    """The estate's dispatch rule for ``category``, else for its parents (``repairs.plumbing`` -> ``repairs``)."""
    parts = (category or "").split(".")
    names = [".".join(parts[:n]) for n in range(len(parts), 0, -1) if parts[0]]
    if not names or estate_id is None:
        return None
    rules = {r.category: r for r in session.scalars(select(DispatchRule).where(
        DispatchRule.estate_id == estate_id, DispatchRule.category.in_(names)))}
    return next((rules[n] for n in names if n in rules), None)


def active_members(session: Session, team: Team) -> list[StaffUser]:
    """The team's active members who still work for its estate, in round-robin order (position, id)."""
    rows = session.scalars(select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.active)
                           .order_by(TeamMember.position, TeamMember.id))
    return [m.staff for m in rows if works_for(m.staff, team.estate_id)]


def dispatch(session: Session, record, category: str, actor, *, now: dt.datetime | None = None) -> Assignment | None:
    """Apply the estate's :class:`DispatchRule` for ``category`` to a new record.

    * ``assign``: to the rule's default assignee; without one the record waits for the supervisor
      (returns None);
    * ``grab``: offered to the rule's team, the first member who grabs it has it;
    * ``round_robin``: to the next active member of the team after the last one (order: position, id).

    No rule for the category (nor its parents): None, the supervisor assigns by hand. Anyone who may
    see the record may dispatch it (it applies the company's rule, not a choice).
    """
    authorize(session, actor, None, target=record)
    _table, _rid, estate_id = identity(record)
    rule = rule_for(session, estate_id, category)
    if rule is None:
        return None
    now = now or utcnow()
    if rule.mode == DispatchMode.assign:
        if rule.default_assignee_id is None:
            return None
        return _assign(session, record, assignee=rule.default_assignee_id, team=rule.team_id, actor=actor,
                       reason="", now=now, mode=DispatchMode.assign)
    if rule.team is None:
        raise ValidationError({"team": [Text(f"dispatch rule {rule.category} ({rule.mode.value}) names no team; "
                                             "set its team in 派工规则", f"派工规则 {rule.category} 未设置班组")]})
    if rule.mode == DispatchMode.grab:
        return _assign(session, record, assignee=None, team=rule.team, actor=actor, reason="", now=now,
                       mode=DispatchMode.grab)
    members = active_members(session, rule.team)
    if not members:
        raise ValidationError({"team": [Text(f"team {rule.team} has no active member to take turns",
                                             f"班组 {rule.team} 没有可轮派的在岗成员")]})
    ids = [m.id for m in members]
    after = ids.index(rule.last_assignee_id) + 1 if rule.last_assignee_id in ids else 0
    if rule.last_assignee_id is not None and rule.last_assignee_id not in ids:
        after = _after_departed(session, rule, members)
    turn = [members[(after + i) % len(members)] for i in range(len(members))]
    chosen = next((m for m in turn if not refusal(session, record, m)), None)  # skip a member refused (回避)
    if chosen is None:
        raise ValidationError({"team": [Text(f"no member of team {rule.team} may take this record; assign it by hand",
                                             f"班组 {rule.team} 中没有可处理该记录的成员，请手工指派")]})
    rule.last_assignee_id = chosen.id
    return _assign(session, record, assignee=chosen, team=rule.team, actor=actor, reason="", now=now,
                   mode=DispatchMode.round_robin)


def _after_departed(session: Session, rule: DispatchRule, members: list[StaffUser]) -> int:
    """The last one is now inactive: continue with the member placed after him in the order."""
    order = [(m.position, m.staff_id) for m in session.scalars(
        select(TeamMember).where(TeamMember.team_id == rule.team_id).order_by(TeamMember.position, TeamMember.id))]
    last = next((o for o in order if o[1] == rule.last_assignee_id), None)
    if last is None:
        return 0
    positions = {m.id: p for p, m in ((p, m) for m in members for p, sid in order if sid == m.id)}
    for i, m in enumerate(members):
        if (positions[m.id], m.id) > last:
            return i
    return 0
