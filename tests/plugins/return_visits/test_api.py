"""The API: visits and rules scoped to the caller's estates, recording a visit, the statistics, and the
rating link (valid once; a bad link is 4xx)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import utcnow
from plugins.return_visits import services
from plugins.return_visits.models import ReturnVisit, SatisfactionRating, VisitStatus

from .conftest import UTC


def test_staff_of_another_estate_cannot_see_or_record_a_visit(seeded, make_visit, visitor, outsider, api_client):
    visit = make_visit()
    seeded.commit()
    theirs = api_client(outsider.username)
    assert theirs.get(f"/api/v1/return-visits/visits/{visit.id}").status_code == 404
    listed = theirs.get("/api/v1/return-visits/visits").get_json()
    assert visit.id not in [row["id"] for row in listed["items"]]
    answer = theirs.post(f"/api/v1/return-visits/visits/{visit.id}/record", json={"satisfaction": "satisfied"})
    assert answer.status_code == 404
    seeded.refresh(visit)
    assert visit.status == VisitStatus.scheduled
    ours = api_client(visitor.username)
    assert ours.get(f"/api/v1/return-visits/visits/{visit.id}").get_json()["number"] == visit.number


def test_recording_a_visit_through_the_api(seeded, make_visit, visitor, api_client, source):
    visit = make_visit()
    seeded.commit()
    client = api_client(visitor.username)
    bad = client.post(f"/api/v1/return-visits/visits/{visit.id}/record", json={"satisfaction": "great"})
    assert bad.status_code == 422 and "satisfaction" in bad.get_json()["errors"]
    ok = client.post(f"/api/v1/return-visits/visits/{visit.id}/record",
                     json={"satisfaction": "very_unsatisfied", "comments": "门还是关不上"})
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["status"] == "done" and ok.get_json()["outcome"] == "reopened"
    assert source.reopened and source.reopened[0][0] == visit.record_id
    again = client.post(f"/api/v1/return-visits/visits/{visit.id}/record", json={"satisfaction": "satisfied"})
    assert again.status_code == 409


def test_statistics_through_the_api(seeded, make_visit, visitor, api_client):
    make_visit(dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC), handled_by_id=visitor.id)
    seeded.commit()
    client = api_client(visitor.username)
    out = client.get("/api/v1/return-visits/statistics?since=2026-03-01T00:00:00Z&until=2026-04-01T00:00:00Z")
    assert out.status_code == 200
    assert out.get_json()["by_person"][str(visitor.id)]["due"] == 1
    bad = client.get("/api/v1/return-visits/statistics?since=yesterday&until=2026-04-01T00:00:00Z")
    assert bad.status_code == 422 and "since" in bad.get_json()["errors"]


def test_the_rating_link_through_the_api(app, seeded, estate, visitor, api_client):
    token = services.make_token(seeded, source="repairs.order", record_id=5, estate_id=estate.id,
                                now=utcnow(), secret=app.secret_key)
    seeded.commit()
    client = api_client(visitor.username)
    form = client.get(f"/api/v1/return-visits/rate/{token}").get_json()
    assert form["record_id"] == 5 and len(form["scale"]) == 5
    assert client.post(f"/api/v1/return-visits/rate/{token}", json={"satisfaction": "满意"}).status_code == 201
    assert client.post(f"/api/v1/return-visits/rate/{token}", json={"satisfaction": "满意"}).status_code == 409
    assert client.get(f"/api/v1/return-visits/rate/{token}x").status_code == 422
    assert len(list(seeded.scalars(select(SatisfactionRating).where(SatisfactionRating.record_id == 5)))) == 1
    assert seeded.scalar(select(ReturnVisit.id).where(ReturnVisit.record_id == 5)) is None


def test_the_workflow_transition_records_a_visit(seeded, make_visit, visitor, outsider, api_client, source):
    visit = make_visit()
    seeded.commit()
    path = f"/api/v1/return-visits/visits/{visit.id}/transitions/record"
    assert api_client(outsider.username).post(path, json={"satisfaction": "satisfied"}).status_code == 404
    client = api_client(visitor.username)
    bad = client.post(path, json={"satisfaction": "great"})
    assert bad.status_code == 422
    ok = client.post(path, json={"satisfaction": "unsatisfied", "comments": "灯还是不亮"})
    assert ok.status_code == 200, ok.get_json()
    seeded.refresh(visit)
    assert visit.status == VisitStatus.done and visit.outcome.value == "reopened" and visit.visitor_id == visitor.id
    assert source.reopened[0][0] == visit.record_id
    assert seeded.scalar(select(SatisfactionRating.score).where(SatisfactionRating.visit_id == visit.id)) == 2


def test_the_owner_rates_on_the_public_page_without_logging_in(app, seeded, estate):
    import re

    token = services.make_token(seeded, source="repairs.order", record_id=6, estate_id=estate.id,
                                now=utcnow(), secret=app.secret_key)
    seeded.commit()
    owner = app.test_client()  # nobody signed in: the link is the owner's only credential
    page = owner.get(f"/p/return_visits/rate/{token}")
    assert page.status_code == 200 and "满意度评价" in page.text and page.text.count('name="satisfaction"') == 5
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = owner.post(f"/p/return_visits/rate/{token}", data={"csrf_token": csrf, "satisfaction": "satisfied",
                                                               "comment": "师傅很准时"})
    assert done.status_code == 201 and "感谢您的评价" in done.text
    again = owner.post(f"/p/return_visits/rate/{token}", data={"csrf_token": csrf, "satisfaction": "satisfied"})
    assert again.status_code == 409 and "已评价过" in again.text  # a link rates once
    assert owner.get(f"/p/return_visits/rate/{token}x").status_code == 422  # forged: nothing to show
    assert owner.post(f"/p/return_visits/rate/{token}", data={"satisfaction": "satisfied"}).status_code == 400  # no CSRF
    [rating] = seeded.scalars(select(SatisfactionRating).where(SatisfactionRating.record_id == 6))
    assert rating.comment == "师傅很准时"
