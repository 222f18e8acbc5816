"""Fixtures for the return_visits tests: two estates with staff, and a test source plugin that
implements ``wuye_return_visit_sources`` over an in-memory list of closed records and records each
``reopen`` call (the real sources are the repairs, complaints and convenience plugins)."""

from __future__ import annotations

import datetime as dt

import pytest

from core import hookimpl

UTC = dt.UTC
SOURCE = "rvtest.job"


class SourcePlugin:
    """A pluggy plugin object: the closed records it reports and the reopen calls it received."""

    def __init__(self):
        self.records: list[dict] = []
        self.reopened: list[tuple[int, str]] = []

    def close(self, record_id: int, estate, closed_at: dt.datetime, *, handled_by_id=None, unit_id=None):
        self.records.append({"record_id": record_id, "estate_id": estate.id, "unit_id": unit_id, "party_id": None,
                             "phone": "13900000000", "closed_at": closed_at, "summary": f"维修 {record_id}",
                             "handled_by_id": handled_by_id})

    def closed_between(self, session, since, until):
        return [r for r in self.records if since <= r["closed_at"] < until]

    def reopen(self, session, record_id, actor, reason):
        self.reopened.append((record_id, reason))

    @hookimpl
    def wuye_return_visit_sources(self):
        return [{"source": SOURCE, "label": "Test jobs", "label_zh": "测试工单", "record_table": "rvtest_jobs",
                 "closed_between": self.closed_between, "reopen": self.reopen}]


@pytest.fixture
def source(wuye):
    plugin = SourcePlugin()
    wuye.pm.register(plugin, name="rvtest")
    try:
        yield plugin
    finally:
        wuye.pm.unregister(plugin)


@pytest.fixture
def estate(make_estate):
    return make_estate("RA", units=2)


@pytest.fixture
def other_estate(make_estate):
    return make_estate("RB", units=1)


@pytest.fixture
def visitor(make_actor, estate):
    return make_actor("cs_specialist", estates=[estate])


@pytest.fixture
def supervisor(make_actor, estate):
    return make_actor("cs_supervisor", estates=[estate])


@pytest.fixture
def outsider(make_actor, other_estate):
    """A customer-service specialist of the other estate."""
    return make_actor("cs_specialist", estates=[other_estate])


@pytest.fixture
def rule(seeded, supervisor, estate, source):
    from plugins.return_visits import services

    return services.create_rule(seeded, supervisor, source=SOURCE, estate_id=estate.id, share_percent=100,
                                within_working_days=1)


@pytest.fixture
def make_visit(seeded, source, rule, estate):
    """Factory: close a record of the test source at ``closed_at`` and generate its visit."""
    from sqlalchemy import select

    from plugins.return_visits import services
    from plugins.return_visits.models import ReturnVisit

    counter = {"n": 100}

    def make(closed_at=dt.datetime(2026, 3, 4, 2, 0, tzinfo=UTC), handled_by_id=None):
        counter["n"] += 1
        source.close(counter["n"], estate, closed_at, handled_by_id=handled_by_id)
        services.generate(seeded, closed_at + dt.timedelta(hours=1), lookback_days=7)
        return seeded.scalar(select(ReturnVisit).where(ReturnVisit.source == SOURCE,
                                                       ReturnVisit.record_id == counter["n"]))

    return make
