"""The to-do inbox service (待办): workflow to-dos by permission and estate, deadlines, counts, urgency."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from core.clock import utcnow
from core.hookspecs import hookimpl
from core.models.workflow import WorkflowDeadline
from core.services.inbox import CAP, InboxItem, count_for, inbox_for, shown_count, waiting_states
from core.web.dashboard import Chart
from core.workflow import get_workflow
from tests.plugins.renovation.conftest import reno  # noqa: F401  (the renovation world fixture)


def kinds(box):
    return {i.kind for i in box.items}


def test_engineer_sees_an_application_waiting_for_engineering_review(reno):  # noqa: F811
    app = reno.drive(reno.apply(), "engineering_review")
    box = inbox_for(reno.session, reno.actors["engineer"], reno.today)
    mine = [i for i in box.items if i.kind == "transition:renovation.application"]
    assert [(i.record_id, i.view) for i in mine] == [(app.id, "renovation_applications")]
    assert mine[0].title.en == "Pass engineering review" or "engineering" in mine[0].title.en.lower()
    assert box.counts["transition:renovation.application"] == (1, False)
    # The customer-service clerk may not take the engineering review: nothing waits for them.
    cs = inbox_for(reno.session, reno.actors["cs_specialist"], reno.today)
    assert "transition:renovation.application" not in cs.counts
    assert count_for(reno.session, reno.actors["engineer"])[0] >= 1


def test_clerk_sees_it_once_granted_the_permission(reno, session):  # noqa: F811
    from core.security.grants import forget, grant

    reno.drive(reno.apply(), "engineering_review")
    cs = reno.actors["cs_specialist"]
    grant(session, reno.actors["general_manager"], "cs_specialist", "renovation.engineering_review")
    forget(session)
    box = inbox_for(session, cs, reno.today)
    assert box.counts.get("transition:renovation.application") == (1, False)


def test_backward_and_resting_states_are_no_to_dos(reno):  # noqa: F811
    keys = get_workflow(reno.session, "keys.key_set")
    states = waiting_states(keys, lambda p: True)
    # sealed <-> lent <-> in_custody are places keys rest in; reporting lost is not a to-do.
    assert "sealed" not in states and "lent" not in states and "in_custody" not in states
    assert states["with_developer"].name == "receive_from_developer"
    flow = get_workflow(reno.session, "renovation.application")
    assert {t.name for t in waiting_states(flow, lambda p: True).values()}.isdisjoint({"reject", "withdraw"})


def test_overdue_deadlines_come_first_and_escalations_reach_the_role(reno):  # noqa: F811
    first = reno.drive(reno.apply(), "engineering_review")
    second = reno.drive(reno.apply(reno.units[1]), "engineering_review")
    now = utcnow()
    s = reno.session
    # engineering_review carries its own limit (3 working days): move each record's open deadline to
    # a known due time instead of depending on today's calendar
    for record, due in ((first, now + dt.timedelta(hours=5)), (second, now - dt.timedelta(hours=2))):
        s.execute(update(WorkflowDeadline).where(WorkflowDeadline.record_table == "renovation_applications",
                                                 WorkflowDeadline.record_id == record.id,
                                                 WorkflowDeadline.closed_at.is_(None))
                  .values(due_at=due, started_at=now - dt.timedelta(days=1), escalate_to="engineering_supervisor"))
    assert s.scalar(select(func.count()).select_from(WorkflowDeadline)
                    .where(WorkflowDeadline.closed_at.is_(None), WorkflowDeadline.state == "engineering_review")) == 2
    s.flush()
    s.execute(update(WorkflowDeadline).where(WorkflowDeadline.record_id == second.id)
              .values(escalated_at=now - dt.timedelta(hours=1)))
    box = inbox_for(s, reno.actors["engineer"], reno.today, now=now)
    assert box.items[0].overdue and box.items[0].record_id == second.id
    late = [i for i in box.items if i.kind == "transition:renovation.application"]
    assert [i.record_id for i in late] == [second.id, first.id]  # overdue first, then by due time
    assert box.counts["deadline"] == (2, False)
    assert not [i for i in box.items if i.kind == "deadline"]  # listed once, under their workflow, with the due time
    assert box.total == 2  # the two applications, not four
    assert "escalation" not in box.counts  # escalated to the supervisor, not to the engineer
    counted = inbox_for(s, reno.actors["engineer"], reno.today, now=now, rows=False)  # the top bar's
    assert counted.counts == box.counts and counted.items == []
    assert counted.overdue == box.overdue == 1  # the one record late, counted once
    sup = inbox_for(s, reno.actors["engineering_supervisor"], reno.today, now=now)
    assert sup.counts["escalation"] == (1, False)
    assert [i.record_id for i in sup.items if i.kind == "escalation"] == [second.id]


def test_counts_are_capped():
    assert shown_count(CAP, True) == "99+"
    assert shown_count(5, False) == "5"
    late = InboxItem(kind="k", title="t", due_on=dt.date(2026, 1, 5), overdue=True)
    soon = InboxItem(kind="k", title="t", due_on=dt.date(2026, 1, 1))
    undated = InboxItem(kind="k", title="t")
    assert sorted([undated, soon, late], key=InboxItem.urgency) == [late, soon, undated]


def test_another_estates_records_stay_out(reno, make_estate, make_actor):  # noqa: F811
    reno.drive(reno.apply(), "engineering_review")
    other = make_estate("ZZ", units=1)
    engineer_b = make_actor("engineer", estates=[other])
    box = inbox_for(reno.session, engineer_b, reno.today)
    assert "transition:renovation.application" not in box.counts
    assert all(i.estate_id in (None, other.id) for i in box.items)


class _Extra:
    """A stand-in plugin: one to-do in the actor's estate, one in another, one chart each, and a broken sibling."""

    def __init__(self, mine: int, other: int):
        self.mine, self.other = mine, other

    @hookimpl
    def wuye_inbox_items(self, session, actor, today):
        return [InboxItem(kind="test.extra", title="Do it", estate_id=self.mine, due_on=today, overdue=True),
                InboxItem(kind="test.extra", title="Not yours", estate_id=self.other), "not an item"]

    @hookimpl
    def wuye_dashboard_charts(self, session, actor, today):
        return [Chart(id="test-chart", title="T", categories=("x",), series=(("n", (1,)),), estate_id=eid)
                for eid in (self.mine, self.other)]


class _Broken:
    @hookimpl
    def wuye_inbox_items(self, session, actor, today):
        raise RuntimeError("boom")

    @hookimpl
    def wuye_dashboard_charts(self, session, actor, today):
        raise RuntimeError("boom")


def test_plugin_items_and_charts_are_kept_to_the_actors_estates(reno, make_estate):  # noqa: F811
    from core.context import wuye_of
    from core.web.dashboard import collect_charts

    wuye = wuye_of(reno.session)
    other = make_estate("OX", units=1)
    extra, broken = _Extra(reno.estate.id, other.id), _Broken()
    wuye.pm.register(extra, name="test_extra")
    wuye.pm.register(broken, name="test_broken")
    try:
        engineer = reno.actors["engineer"]
        box = inbox_for(reno.session, engineer, reno.today)
        assert [(i.title, i.estate_id) for i in box.items if i.kind == "test.extra"] == [("Do it", reno.estate.id)]
        assert box.counts["test.extra"] == (1, False) and box.items[0].kind == "test.extra"  # overdue first
        charts = [c for c in collect_charts(wuye, reno.session, engineer, reno.today) if c.id == "test-chart"]
        assert [c.estate_id for c in charts] == [reno.estate.id]
    finally:
        wuye.pm.unregister(extra)
        wuye.pm.unregister(broken)


def test_a_paused_deadline_is_not_due(reno):  # noqa: F811
    app = reno.drive(reno.apply(), "engineering_review")
    now = utcnow()
    s = reno.session
    s.add(WorkflowDeadline(workflow="renovation.application", record_table="renovation_applications",
                           record_id=app.id, estate_id=reno.estate.id, state="engineering_review",
                           started_at=now - dt.timedelta(days=2), due_at=now - dt.timedelta(days=1),
                           escalate_to="engineering_supervisor", paused_at=now - dt.timedelta(days=1, hours=2)))
    s.flush()
    box = inbox_for(s, reno.actors["engineer"], reno.today, now=now)
    assert "deadline" not in box.counts
    assert not any(i.overdue for i in box.items)  # waiting for the owner: the clock stands still
