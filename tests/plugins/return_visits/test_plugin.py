"""The return_visits plugin enabled alone (core only): it boots, publishes its hookspec, and its
services work with no source plugin."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from core.models import Estate
from core.seed import seed_all
from core.testing import boot
from plugins.return_visits import services


@pytest.fixture(scope="module")
def alone():
    return boot(enabled=["return_visits"])


def test_boots_with_core_only(alone):
    assert alone.order == ["return_visits"]
    assert alone.manifests["return_visits"].depends == []
    assert {p for p in alone.registry.permissions if p.startswith("return_visits.")} == {
        "return_visits.view", "return_visits.record", "return_visits.manage_rules"}
    assert alone.registry.tables_of("return_visits") == [
        "return_visits_ratings", "return_visits_rules", "return_visits_visits"]
    assert alone.settings("return_visits") == {"lookback_days": 7, "max_attempts": 3, "link_valid_days": 30}
    assert services.sources(alone) == {}  # no source plugin enabled


def test_generating_with_no_source_makes_nothing(alone, engine):
    conn = engine.connect()
    trans = conn.begin()
    s = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False, info={"wuye": alone})
    try:
        seed_all(s, alone)
        s.add(Estate(code="RV", name="Alone"))
        s.flush()
        from plugins.return_visits.jobs import generate

        assert generate(s, dt.datetime(2026, 3, 2, tzinfo=dt.UTC)) == {"created": 0, "skipped": 0}
    finally:
        s.close()
        trans.rollback()
        conn.close()
