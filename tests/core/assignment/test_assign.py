"""Assign, reassign (改派), grab (抢单), release and dispatch by rule (assign, grab, round robin)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.assignment import assign, assignment_history, current_assignment, dispatch, grab, reassign, release
from core.errors import Conflict, PermissionDenied, ValidationError
from core.models.assignment import Assignment, DispatchMode, DispatchRule, TeamMember
from core.notifications.sending import record_label
from core.workflow.deadlines import open_deadline

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)


def rows(session) -> int:
    return len(session.scalars(select(Assignment)).all())


def test_assign_names_the_assignee_and_the_team_and_follows_the_open_deadline(env):
    t = env.ticket(env.a)
    a = assign(env.session, t, assignee=env.t1, team=env.team, actor=env.sup, now=T0)
    assert (a.assignee_id, a.team_id, a.mode, a.assigned_by_id, a.ended_at) == (
        env.t1.id, env.team.id, DispatchMode.assign, env.sup.id, None)
    assert current_assignment(env.session, t).id == a.id
    row = open_deadline(env.session, t)
    env.session.refresh(row)
    assert (row.assignee_id, row.team_id) == (env.t1.id, env.team.id)


def test_reassign_keeps_the_history_and_needs_a_reason(env):
    t = env.ticket(env.a)
    first = assign(env.session, t, assignee=env.t1, actor=env.sup, now=T0)
    with pytest.raises(ValidationError) as err:
        reassign(env.session, t, assignee=env.t2, actor=env.sup, reason="  ", now=T0 + MIN)
    assert err.value.field == "reason"
    with pytest.raises(ValidationError, match="reason"):  # assign() over someone is a reassignment too
        assign(env.session, t, assignee=env.t2, actor=env.sup, now=T0 + MIN)
    assert current_assignment(env.session, t).id == first.id and rows(env.session) == 1  # nothing changed
    second = reassign(env.session, t, assignee=env.t2, actor=env.sup, reason="t1 is ill", now=T0 + 5 * MIN)
    history = assignment_history(env.session, t)
    assert [h.assignee_id for h in history] == [env.t1.id, env.t2.id]
    assert history[0].ended_at == T0 + 5 * MIN and history[1].ended_at is None
    assert (second.mode, second.reason) == (DispatchMode.reassign, "t1 is ill")


def test_the_assignee_must_work_for_the_records_estate(env):
    t = env.ticket(env.a)
    with pytest.raises(ValidationError) as err:
        assign(env.session, t, assignee=env.tech_b, actor=env.sup, now=T0)
    assert err.value.field == "assignee" and "staff member of this record's estate" in err.value.message
    with pytest.raises(ValidationError) as err:
        assign(env.session, t, team=env.team_b, actor=env.sup, now=T0)
    assert err.value.field == "team"
    with pytest.raises(ValidationError, match="assignee"):
        assign(env.session, t, actor=env.sup, now=T0)
    assert rows(env.session) == 0


def test_staff_of_another_estate_cannot_assign_and_technicians_cannot_assign(env):
    t = env.ticket(env.a)
    with pytest.raises(PermissionDenied):
        assign(env.session, t, assignee=env.t1, actor=env.sup_b, now=T0)
    with pytest.raises(PermissionDenied):
        assign(env.session, t, assignee=env.t1, actor=env.t2, now=T0)
    assert rows(env.session) == 0


def test_grab_the_first_member_wins_and_the_second_is_told_who_has_it(env):
    t = env.ticket(env.a)
    offer = assign(env.session, t, team=env.team, actor=env.sup, now=T0)
    assert offer.is_offered and offer.mode == DispatchMode.grab
    got = grab(env.session, t, env.t2, now=T0 + MIN)
    assert (got.assignee_id, got.team_id, got.mode) == (env.t2.id, env.team.id, DispatchMode.grab)
    with pytest.raises(Conflict) as err:
        grab(env.session, t, env.t3, now=T0 + 2 * MIN)
    assert err.value.http_status == 409 and str(env.t2) in err.value.message
    assert current_assignment(env.session, t).assignee_id == env.t2.id


def test_a_stale_offer_cannot_be_grabbed_twice(env):
    # Two members loaded the same offer; the one whose update comes second finds it ended.
    t = env.ticket(env.a)
    offer = assign(env.session, t, team=env.team, actor=env.sup, now=T0)
    grab(env.session, t, env.t1, now=T0 + MIN)
    from core.assignment.service import _end

    with pytest.raises(Conflict):
        _end(env.session, offer, T0 + 2 * MIN, "")


def test_only_members_of_the_team_grab(env):
    t = env.ticket(env.a)
    assign(env.session, t, team=env.team, actor=env.sup, now=T0)
    outsider = env.make_actor("technician", estates=[env.a])
    with pytest.raises(PermissionDenied):
        grab(env.session, t, outsider, now=T0 + MIN)
    with pytest.raises(PermissionDenied):  # estate B's technician may not even see it
        grab(env.session, t, env.tech_b, now=T0 + MIN)
    assert current_assignment(env.session, t).is_offered


def test_release_puts_a_team_record_back_in_the_grab_pool(env):
    t = env.ticket(env.a)
    assign(env.session, t, team=env.team, actor=env.sup, now=T0)
    grab(env.session, t, env.t1, now=T0 + MIN)
    back = release(env.session, t, env.t1, reason="wrong trade", now=T0 + 2 * MIN)
    assert back.is_offered and back.team_id == env.team.id
    assert [h.assignee_id for h in assignment_history(env.session, t)] == [None, env.t1.id, None]
    with pytest.raises(PermissionDenied):  # someone else's record needs the assign permission
        assign(env.session, t, assignee=env.t3, actor=env.sup, now=T0 + 3 * MIN)
        release(env.session, t, env.t2, now=T0 + 4 * MIN)


def test_dispatch_assign_mode_goes_to_the_default_assignee_or_waits(env):
    env.session.add(DispatchRule(estate_id=env.a.id, category="repairs", mode=DispatchMode.assign,
                                 default_assignee_id=env.t3.id))
    env.session.add(DispatchRule(estate_id=env.a.id, category="complaints", mode=DispatchMode.assign))
    env.session.flush()
    t = env.ticket(env.a)
    a = dispatch(env.session, t, "repairs.plumbing", env.cs_sup, now=T0)  # falls back to "repairs"
    assert (a.assignee_id, a.mode) == (env.t3.id, DispatchMode.assign)
    assert dispatch(env.session, env.ticket(env.a), "complaints", env.cs_sup, now=T0) is None
    assert dispatch(env.session, env.ticket(env.a), "unknown", env.cs_sup, now=T0) is None
    assert dispatch(env.session, env.ticket(env.b), "repairs", env.cs_sup_b, now=T0) is None  # A's rule only


def test_dispatch_grab_mode_offers_to_the_team(env):
    env.session.add(DispatchRule(estate_id=env.a.id, category="repairs.plumbing", mode=DispatchMode.grab,
                                 team_id=env.team.id))
    env.session.flush()
    t = env.ticket(env.a)
    offer = dispatch(env.session, t, "repairs.plumbing", env.cs_sup, now=T0)
    assert offer.is_offered and offer.team_id == env.team.id


def test_round_robin_takes_turns_in_member_order_and_skips_the_inactive(env):
    rule = DispatchRule(estate_id=env.a.id, category="repairs", mode=DispatchMode.round_robin, team_id=env.team.id)
    env.session.add(rule)
    env.session.flush()

    def next_one():
        return dispatch(env.session, env.ticket(env.a), "repairs", env.cs_sup, now=T0).assignee_id

    assert [next_one() for _ in range(4)] == [env.t1.id, env.t2.id, env.t3.id, env.t1.id]
    member2 = env.session.scalar(select(TeamMember).where(TeamMember.staff_id == env.t2.id))
    member2.active = False  # on leave
    env.session.flush()
    assert [next_one() for _ in range(3)] == [env.t3.id, env.t1.id, env.t3.id]
    env.t1.active = False  # left the company: skipped too, even though still listed
    member3 = env.session.scalar(select(TeamMember).where(TeamMember.staff_id == env.t3.id))
    member3.active = False
    env.session.flush()
    with pytest.raises(ValidationError, match="no active member"):
        next_one()


def test_round_robin_continues_after_a_member_who_left(env):
    rule = DispatchRule(estate_id=env.a.id, category="repairs", mode=DispatchMode.round_robin, team_id=env.team.id,
                        last_assignee_id=env.t2.id)
    env.session.add(rule)
    member2 = env.session.scalar(select(TeamMember).where(TeamMember.staff_id == env.t2.id))
    member2.active = False
    env.session.flush()
    assert dispatch(env.session, env.ticket(env.a), "repairs", env.cs_sup, now=T0).assignee_id == env.t3.id


def test_the_assignee_is_told_and_an_offer_tells_the_team(env):
    from core.models.notification import Notification

    def told():
        return sorted((n.staff_id, n.subject) for n in env.session.scalars(
            select(Notification).where(Notification.event == "core.record_assigned")))

    t = env.ticket(env.a)
    assign(env.session, t, team=env.team, actor=env.sup, now=T0)
    assert told() == sorted((m.id, f"【待抢单】{record_label(t)}") for m in (env.t1, env.t2, env.t3))
    grab(env.session, t, env.t2, now=T0 + MIN)  # nobody is told of a grab
    reassign(env.session, t, assignee=env.t3, actor=env.sup, reason="t2 ill", now=T0 + 2 * MIN)
    last = env.session.scalar(select(Notification).where(Notification.event == "core.record_assigned")
                              .order_by(Notification.id.desc()).limit(1))
    assert (last.staff_id, last.subject) == (env.t3.id, f"【派工】{record_label(t)}")
    assert last.body == f"{record_label(t)} 已改派给您（派工人：{env.sup}）。原因：t2 ill"
    assert len(told()) == 4
