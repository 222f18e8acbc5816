"""Two clerks receiving an application for the same unit at the same moment: exactly one is kept."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import func, select

from core import estate_today
from core.errors import Conflict
from core.models import Party, StaffUser, Unit
from core.seed import seed_all
from core.services.staff import create_staff
from plugins.renovation import services
from plugins.renovation.models import RenovationApplication
from tests.plugins.renovation.conftest import owned_unit


def test_two_applications_for_one_unit_at_once_keep_only_one(committed, monkeypatch):
    wuye = committed
    monkeypatch.setattr("core.services.staff.hash_password", lambda password: "test-only:" + password)
    with wuye.session() as s:
        seed_all(s, wuye)
        _estate, unit, owner = owned_unit(s, "CC")
        for i in (1, 2):
            create_staff(s, f"clerk{i}", "password123", roles=["cs_specialist"], estates=["CC"])
        unit_id, owner_id = unit.id, owner.id

    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def clerk(name: str):
        try:
            barrier.wait(timeout=30)  # both open their transactions at the same moment
            with wuye.session() as s:
                actor = s.scalar(select(StaffUser).where(StaffUser.username == name))
                unit, owner = s.get(Unit, unit_id), s.get(Party, owner_id)
                today = estate_today(s, unit.estate)  # the estate's day, not the test machine's
                services.apply_for_renovation(s, actor, unit=unit, applicant=owner, planned_start=today,
                                              planned_end=today + dt.timedelta(days=30),
                                              scope=["flooring"], self_renovation=True, worker_guarantee_ref="G")
            outcomes.append("created")
        except Exception as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=clerk, args=(f"clerk{i}",), daemon=True) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with wuye.session() as s:
        kept = s.scalar(select(func.count()).select_from(RenovationApplication)
                        .where(RenovationApplication.unit_id == unit_id))
    assert kept == 1, outcomes
    assert outcomes.count("created") == 1
    # PostgreSQL: the unit row lock makes the second wait and then see the first application;
    # SQLite: transactions are serialised (BEGIN IMMEDIATE), with the same result.
    loser = next(o for o in outcomes if o != "created")
    assert isinstance(loser, Conflict), loser
