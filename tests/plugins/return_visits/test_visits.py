"""Recording a visit: satisfaction on the 5-point scale, an unsatisfied owner reopens the record and
tells the supervisors, unreachable after the attempts, bad input refused, estate scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import Conflict, PermissionDenied, ValidationError
from core.models.notification import Notification as NotificationDelivery
from plugins.return_visits import services
from plugins.return_visits.models import (
    Satisfaction,
    SatisfactionRating,
    VisitMethod,
    VisitOutcome,
    VisitStatus,
)

from .conftest import UTC

NOW = dt.datetime(2026, 3, 5, 2, 0, tzinfo=UTC)


def test_a_satisfied_visit_is_done_with_its_rating(seeded, make_visit, visitor, source):
    visit = make_visit(handled_by_id=visitor.id)
    services.record_visit(seeded, visitor, visit, "满意", "很好", "visit", NOW)
    assert visit.status == VisitStatus.done and visit.satisfaction == Satisfaction.satisfied
    assert visit.method == VisitMethod.visit and visit.visitor_id == visitor.id and visit.visited_at == NOW
    assert visit.outcome == VisitOutcome.none and source.reopened == []
    rating = seeded.scalar(select(SatisfactionRating).where(SatisfactionRating.visit_id == visit.id))
    assert (rating.score, rating.channel.value, rating.comment, rating.handled_by_id) == (4, "visit", "很好", visitor.id)


def test_an_unsatisfied_visit_reopens_the_record_and_tells_the_supervisor(seeded, make_visit, visitor, supervisor,
                                                                          source):
    visit = make_visit()
    services.record_visit(seeded, visitor, visit, "unsatisfied", "还在漏水", None, NOW)
    assert visit.outcome == VisitOutcome.reopened
    assert source.reopened == [(visit.record_id, f"回访不满意 {visit.number}: 还在漏水")]
    told = seeded.scalars(select(NotificationDelivery).where(NotificationDelivery.event == "return_visits.unsatisfied"))
    assert supervisor.id in {d.staff_id for d in told}


def test_a_source_without_reopen_raises_a_complaint_when_complaints_is_enabled(seeded, make_visit, visitor, source,
                                                                              wuye):
    from plugins.complaints.models import Complaint

    visit = make_visit()
    visit.source = "rvtest.other"  # a source that offers no reopen (not registered: nothing to call)
    services.record_visit(seeded, visitor, visit, "very_unsatisfied", "服务人员态度差", None, NOW)
    assert wuye.is_enabled("complaints") and source.reopened == []
    assert visit.outcome == VisitOutcome.complaint_raised  # wuye_return_visit_unsatisfied: 回访不满意转投诉
    [raised] = seeded.scalars(select(Complaint).where(Complaint.summary.like("回访不满意%")))
    assert raised.estate_id == visit.estate_id and visit.number in raised.content and "态度差" in raised.content


def test_a_source_without_reopen_is_escalated_only_without_complaints(seeded, make_visit, visitor, source, wuye):
    visit = make_visit()
    visit.source = "rvtest.other"
    complaints = [p for n, p in wuye.pm.list_name_plugin() if n == "complaints"]
    for plugin in complaints:  # as in a company that has not enabled complaints
        wuye.pm.unregister(plugin)
    try:
        services.record_visit(seeded, visitor, visit, "very_unsatisfied", "", None, NOW)
    finally:
        for plugin in complaints:
            wuye.pm.register(plugin, name="complaints")
    assert visit.outcome == VisitOutcome.escalated and source.reopened == []


@pytest.mark.parametrize(("args", "field"), [(("great", "", None), "satisfaction"),
                                             (("satisfied", "x" * 1001, None), "comments"),
                                             (("satisfied", "", "fax"), "method")])
def test_bad_input_names_the_field_and_changes_nothing(seeded, make_visit, visitor, args, field):
    visit = make_visit()
    with pytest.raises(ValidationError) as err:
        services.record_visit(seeded, visitor, visit, *args, NOW)
    assert field in err.value.errors
    assert visit.status == VisitStatus.scheduled and visit.satisfaction is None
    assert seeded.scalar(select(func.count(SatisfactionRating.id))) == 0


def test_a_visit_is_recorded_once(seeded, make_visit, visitor):
    visit = make_visit()
    services.record_visit(seeded, visitor, visit, "satisfied", "", None, NOW)
    with pytest.raises(Conflict):
        services.record_visit(seeded, visitor, visit, "neutral", "", None, NOW)


def test_unreachable_after_three_unanswered_calls(seeded, make_visit, visitor):
    visit = make_visit()
    for expected in (VisitStatus.scheduled, VisitStatus.scheduled, VisitStatus.unreachable):
        services.record_unreachable(seeded, visitor, visit, NOW)
        assert visit.status == expected
    assert visit.attempts == 3


def test_staff_of_another_estate_cannot_record(seeded, make_visit, outsider):
    visit = make_visit()
    with pytest.raises(PermissionDenied):
        services.record_visit(seeded, outsider, visit, "satisfied", "", None, NOW)
    assert visit.status == VisitStatus.scheduled


def test_a_cancelled_visit_needs_a_reason(seeded, make_visit, supervisor):
    visit = make_visit()
    with pytest.raises(ValidationError) as err:
        services.cancel_visit(seeded, supervisor, visit, " ")
    assert "reason" in err.value.errors and visit.status == VisitStatus.scheduled
    services.cancel_visit(seeded, supervisor, visit, "业主不需要回访")
    assert visit.status == VisitStatus.cancelled
