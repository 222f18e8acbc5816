"""Incidents (事件): 40 reports of one water cut merged into one incident, resolved once, every reporter told."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.errors import Conflict, PermissionDenied, ValidationError
from core.intake import (
    find_possible_duplicates,
    incident_from_intake,
    merge_into_incident,
    open_incident,
    register_intake,
    reporters_of,
    resolve_incident,
)
from core.models.intake import IncidentStatus, Intake, IntakeStatus
from core.models.notification import Notification
from tests.core.intake.conftest import T0


def call(world, estate=None, minutes=0, category="repair", **kw):
    kw.setdefault("caller_phone", "13900000000")
    return register_intake(world.session, world.clerk_a if estate is None else world.clerk_b,
                           estate_id=(estate or world.a).id, category=category, summary="3栋停水",
                           received_at=T0 + dt.timedelta(minutes=minutes), now=T0 + dt.timedelta(hours=12), **kw)


def test_forty_reports_of_a_water_cut_become_one_incident_and_every_reporter_is_told_once(world):
    s = world.session
    owners = [world.party(f"业主{i}", f"1380000{i:04d}") for i in range(19)]
    intakes = []
    for i in range(38):  # 19 owners, each calling twice
        intakes.append(call(world, minutes=i * 5, party_id=owners[i % 19].id))
    intakes += [call(world, minutes=200, caller_phone="13711112222"),  # two walk-in strangers: phones only
                call(world, minutes=201, caller_phone="13733334444")]
    assert len(intakes) == 40
    unrelated = [call(world, minutes=10, category="complaint"), call(world, minutes=60 * 7)]  # other kind; too late
    other_estate = call(world, estate=world.b, minutes=10)

    dupes = find_possible_duplicates(s, intakes[0])
    assert {d.id for d in dupes} == {i.id for i in intakes[1:]}  # same estate and category, within 6 hours
    assert not {d.id for d in dupes} & {unrelated[0].id, unrelated[1].id, other_estate.id}

    incident = incident_from_intake(s, world.sup_a, intakes[0], "3栋停水", now=T0)
    assert incident.number == "SJ-2026-000001" and intakes[0].status == IntakeStatus.merged
    merge_into_incident(s, world.sup_a, incident, intakes[1:])
    assert incident.reporters == 40
    assert {i.status for i in intakes} == {IntakeStatus.merged}
    assert len(find_possible_duplicates(s, intakes[0])) == 39  # merged into an open incident: still listed

    deliveries = resolve_incident(s, world.sup_a, incident, "水管已抢修，供水恢复", now=T0 + dt.timedelta(hours=5))
    assert incident.status == IncidentStatus.resolved and incident.resolved_by_id == world.sup_a.id
    assert {i.status for i in intakes} == {IntakeStatus.resolved}
    assert unrelated[0].status == IntakeStatus.new  # not part of it
    queued = s.scalars(select(Notification).where(Notification.event == "core.incident_resolved")).all()
    told = [n for n in queued if n.party_id is not None]
    assert sorted(n.party_id for n in told) == sorted(o.id for o in owners)  # each owner once, none twice
    strangers = sorted((n.address, n.status) for n in queued if n.party_id is None)
    assert strangers == [("13711112222", "queued"), ("13733334444", "queued")]  # texted at the number they left
    assert len(deliveries) == 21 and {n.channel for n in queued} == {"sms"}
    assert {n.record_table for n in queued} == {"core_incidents"} and "水管已抢修" in queued[0].body
    assert reporters_of(s, incident).phones == ("13711112222", "13733334444")
    assert find_possible_duplicates(s, unrelated[1]) == []  # the resolved ones are no longer open


def test_merging_reports_of_another_estate_is_refused_and_nothing_changes(world):
    s = world.session
    mine, theirs = call(world), call(world, estate=world.b)
    incident = open_incident(s, world.sup_a, world.a.id, "停电", "repair", now=T0)
    with pytest.raises(ValidationError) as exc:
        merge_into_incident(s, world.sup_a, incident, [mine, theirs])
    assert "another estate" in exc.value.errors["intake_ids"][0].en and theirs.number in exc.value.message
    assert (mine.status, mine.incident_id, theirs.status) == (IntakeStatus.new, None, IntakeStatus.new)
    assert s.scalar(select(func.count()).select_from(Intake).where(Intake.incident_id.is_not(None))) == 0


def test_staff_of_one_estate_cannot_open_merge_or_resolve_another_estates_incidents(world):
    s = world.session
    with pytest.raises(PermissionDenied):
        open_incident(s, world.sup_a, world.b.id, "停电", now=T0)
    incident = open_incident(s, world.sup_b, world.b.id, "停电", now=T0)
    with pytest.raises(PermissionDenied):
        merge_into_incident(s, world.sup_a, incident, [call(world, estate=world.b)])
    with pytest.raises(PermissionDenied):
        resolve_incident(s, world.sup_a, incident, "done")
    with pytest.raises(PermissionDenied):  # a clerk may register calls but not manage incidents
        open_incident(s, world.clerk_a, world.a.id, "停电", now=T0)
    assert incident.status == IncidentStatus.open


def test_resolving_needs_a_resolution_and_happens_once(world):
    s = world.session
    intake = call(world)
    incident = incident_from_intake(s, world.sup_a, intake, now=T0)
    assert incident.title == "3栋停水"  # the summary, when no title is given
    with pytest.raises(ValidationError) as exc:
        resolve_incident(s, world.sup_a, incident, "  ")
    assert exc.value.field == "resolution" and incident.status == IncidentStatus.open
    told = resolve_incident(s, world.sup_a, incident, "已恢复")  # a phone-only reporter: texted at that number
    assert [(d.party_id, d.address, d.channel) for d in told] == [(None, "13900000000", "sms")]
    with pytest.raises(Conflict, match="already resolved"):
        resolve_incident(s, world.sup_a, incident, "again")
    with pytest.raises(Conflict, match="already resolved"):
        merge_into_incident(s, world.sup_a, incident, [call(world)])


def test_only_new_reports_merge(world):
    s = world.session
    from core.intake import answer_intake

    answered = call(world, category="inquiry")
    answer_intake(s, answered, world.clerk_a, "已答复")
    incident = open_incident(s, world.sup_a, world.a.id, "咨询", "inquiry", now=T0)
    with pytest.raises(ValidationError, match="only new records merge"):
        merge_into_incident(s, world.sup_a, incident, [answered])
    with pytest.raises(ValidationError) as exc:
        open_incident(s, world.sup_a, world.a.id, "", now=T0)
    assert "title" in exc.value.errors
