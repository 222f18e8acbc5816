"""The inbox lists records assigned to the user and records offered to his team (抢单), never another estate's."""

from __future__ import annotations

import datetime as dt

from core.assignment import assign, grab
from core.services.inbox import inbox_for

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 1)


def test_assigned_and_offered_records_reach_the_inbox(env):
    mine, pool = env.ticket(env.a, title="mine"), env.ticket(env.a, title="pool")
    assign(env.session, mine, assignee=env.t1, actor=env.sup, now=T0)
    assign(env.session, pool, team=env.team, actor=env.sup, now=T0)
    env.session.refresh(env.team)
    box = inbox_for(env.session, env.t1, TODAY, now=T0)
    assert box.counts["assigned"] == (1, False) and box.counts["grab"] == (1, False)
    assert [i.record_id for i in box.items if i.kind == "assigned"] == [mine.id]
    assert [i.record_id for i in box.items if i.kind == "grab"] == [pool.id]
    offered = next(i for i in box.items if i.kind == "grab")
    assert offered.due_at is not None and offered.estate_id == env.a.id  # the ticket's 3-minute deadline
    grab(env.session, pool, env.t2, now=T0 + dt.timedelta(minutes=1))
    box = inbox_for(env.session, env.t1, TODAY, now=T0)
    assert "grab" not in box.counts  # taken: gone from everyone's pool
    assert inbox_for(env.session, env.t2, TODAY, now=T0).counts["assigned"] == (1, False)
    assert "grab" not in inbox_for(env.session, env.tech_b, TODAY, now=T0).counts  # B's team: nothing of A
    counted = inbox_for(env.session, env.t1, TODAY, now=T0, rows=False)
    assert counted.counts["assigned"] == (1, False) and counted.items == []
