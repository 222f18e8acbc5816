"""The breach report (超时统计), numbers computed by hand from deadlines with explicit times."""

from __future__ import annotations

import datetime as dt

import pytest

from core.assignment import breach_report
from core.errors import ValidationError
from core.models.workflow import WorkflowDeadline

SINCE, UNTIL = dt.datetime(2026, 12, 1, tzinfo=dt.UTC), dt.datetime(2026, 12, 8, tzinfo=dt.UTC)


def at(day, hour=0, minute=0):
    return dt.datetime(2026, 11 if day > 20 else 12, day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture
def deadlines(env):
    a, b, team, team_b = env.a.id, env.b.id, env.team.id, env.team_b.id
    rows = [  # (estate, assignee, team, started, due, closed, escalated)
        (a, env.t1.id, team, at(30), dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC), at(1, 9), None),  # on time
        (a, env.t1.id, team, at(2), at(2, 12), at(2, 13), None),  # closed an hour late: breached
        (a, env.t1.id, team, at(3), at(3, 12), None, at(3, 12, 5)),  # open, escalated: breached
        (a, env.t2.id, team, at(3), dt.datetime(2026, 12, 10, tzinfo=dt.UTC), None, None),  # open, not yet due
        (a, env.t2.id, team, at(25), at(26), at(27), at(26, 1)),  # Nov: before the period
        (a, env.t2.id, None, dt.datetime(2026, 12, 9, tzinfo=dt.UTC), dt.datetime(2026, 12, 10, tzinfo=dt.UTC),
         None, None),  # after the period
        (a, None, None, at(4), at(4, 10), at(4, 11), None),  # nobody held it, closed late: breached
        (a, env.t2.id, team, at(6), dt.datetime(2026, 12, 8, 1, tzinfo=dt.UTC), None,
         dt.datetime(2026, 12, 9, tzinfo=dt.UTC)),  # escalated after the period: not a breach of it
        (b, env.tech_b.id, team_b, at(2), at(2, 12), at(2, 18), None),  # estate B, late
    ]
    for i, (estate, who, crew, started, due, closed, escalated) in enumerate(rows, 1):
        env.session.add(WorkflowDeadline(workflow="wftest.ticket", record_table="wftest_tickets", record_id=1000 + i,
                                         estate_id=estate, state="new", started_at=started, due_at=due,
                                         closed_at=closed, escalated_at=escalated, escalate_to="cs_supervisor",
                                         assignee_id=who, team_id=crew))
    env.session.flush()
    return env


def lines(rows):
    return [(r.id, r.total, r.breached, round(r.rate, 4)) for r in rows]


def test_per_person_and_per_team_in_the_estates_asked(deadlines):
    env = deadlines
    report = breach_report(env.session, since=SINCE, until=UNTIL, estate_ids=[env.a.id])
    assert lines(report.people) == [(env.t1.id, 3, 2, 0.6667), (None, 1, 1, 1.0), (env.t2.id, 2, 0, 0.0)]
    assert lines(report.teams) == [(env.team.id, 5, 2, 0.4), (None, 1, 1, 1.0)]
    assert (report.total, report.breached) == (6, 3)
    assert report.people[0].name == str(env.t1) and report.teams[0].name == "水电班"
    assert report.as_dict()["people"][0] == {"id": env.t1.id, "name": str(env.t1), "total": 3, "breached": 2,
                                             "rate": 0.6667}


def test_every_estate_when_none_is_given(deadlines):
    env = deadlines
    report = breach_report(env.session, since=SINCE, until=UNTIL)
    assert (report.total, report.breached) == (7, 4)
    assert (env.tech_b.id, 1, 1, 1.0) in lines(report.people)
    assert (env.team_b.id, 1, 1, 1.0) in lines(report.teams)


def test_the_period_must_run_forward(deadlines):
    with pytest.raises(ValidationError) as err:
        breach_report(deadlines.session, since=UNTIL, until=SINCE)
    assert err.value.field == "until"
