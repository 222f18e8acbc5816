"""The owner's rating link: signed, single use, valid 30 days; a bad, expired or used link is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import Conflict
from plugins.return_visits import services
from plugins.return_visits.models import RatingChannel, SatisfactionRating

from .conftest import UTC

SECRET = "test-secret"
SENT = dt.datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def token(seeded, estate, visitor):
    return services.make_token(seeded, source="repairs.order", record_id=77, estate_id=estate.id,
                               handled_by_id=visitor.id, now=SENT, secret=SECRET)


def _ratings(session) -> int:
    return session.scalar(select(func.count(SatisfactionRating.id)))


def test_a_valid_link_rates_the_record(seeded, token, estate, visitor):
    rating = services.rate_by_token(seeded, token, "非常满意", "谢谢", now=SENT + dt.timedelta(days=29), secret=SECRET)
    assert (rating.source, rating.record_id, rating.estate_id, rating.handled_by_id) == (
        "repairs.order", 77, estate.id, visitor.id)
    assert rating.score == 5 and rating.channel == RatingChannel.link and rating.comment == "谢谢"


def test_a_used_link_is_refused(seeded, token):
    services.rate_by_token(seeded, token, "satisfied", now=SENT, secret=SECRET)
    with pytest.raises(Conflict):
        services.rate_by_token(seeded, token, "very_unsatisfied", now=SENT, secret=SECRET)
    assert _ratings(seeded) == 1


def test_an_expired_link_is_refused(seeded, token):
    with pytest.raises(services.LinkInvalid) as err:
        services.rate_by_token(seeded, token, "satisfied", now=SENT + dt.timedelta(days=30, seconds=1), secret=SECRET)
    assert "expired" in str(err.value.errors)
    assert _ratings(seeded) == 0


def test_a_tampered_or_foreign_link_is_refused(seeded, token):
    with pytest.raises(services.LinkInvalid):
        services.rate_by_token(seeded, token[:-2] + "xx", "satisfied", now=SENT, secret=SECRET)
    with pytest.raises(services.LinkInvalid):
        services.rate_by_token(seeded, token, "satisfied", now=SENT, secret="another-secret")
    assert _ratings(seeded) == 0


def test_a_rating_off_the_scale_names_the_field(seeded, token):
    from core import ValidationError

    with pytest.raises(ValidationError) as err:
        services.rate_by_token(seeded, token, "10", now=SENT, secret=SECRET)
    assert "satisfaction" in err.value.errors and _ratings(seeded) == 0
