"""A small world for the intake tests: two estates, a clerk and a supervisor of each, owners."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from core.models import Party, Unit

T0 = dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai: the desk is open


@dataclass
class World:
    session: object
    a: object
    b: object
    units_a: list
    units_b: list
    clerk_a: object
    clerk_b: object
    sup_a: object
    sup_b: object
    parties: list = field(default_factory=list)

    def party(self, name: str, phone: str) -> Party:
        p = Party(name=name, phone=phone)
        self.session.add(p)
        self.session.flush()
        self.parties.append(p)
        return p


@pytest.fixture
def world(seeded, make_estate, make_actor):
    from sqlalchemy import select

    a, b = make_estate("IA", units=6), make_estate("IB", units=2)
    units = lambda e: list(seeded.scalars(select(Unit).where(Unit.estate_id == e.id).order_by(Unit.id)))  # noqa: E731
    return World(seeded, a, b, units(a), units(b),
                 make_actor("cs_specialist", estates=[a]), make_actor("cs_specialist", estates=[b]),
                 make_actor("cs_supervisor", estates=[a]), make_actor("cs_supervisor", estates=[b]))
