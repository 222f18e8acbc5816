"""Fixtures for the repairs plugin's tests: estates A and B with units and an owner, a clerk, an
engineering supervisor and technicians, a paid category, and helpers to take an order along."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlalchemy import select

from core import add_attachment
from core.models import Party, RelationKind, Unit
from core.services.units import add_relation
from plugins.repairs import services


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def rp(session, seeded, make_estate, make_actor):
    w = SimpleNamespace(session=session)
    w.a, w.b = make_estate("RPA", units=2), make_estate("RPB", units=1)
    w.units = list(session.scalars(select(Unit).where(Unit.estate_id == w.a.id).order_by(Unit.id)))
    w.unit_b = session.scalar(select(Unit).where(Unit.estate_id == w.b.id))
    w.owner = Party(name="王先生", phone="13900000001")
    session.add(w.owner)
    session.flush()
    add_relation(session, w.units[0], w.owner, RelationKind.owner, start_on=dt.date(2024, 1, 1))
    w.clerk = make_actor("cs_specialist", estates=[w.a])
    w.sup = make_actor("engineering_supervisor", estates=[w.a])
    w.t1 = make_actor("technician", estates=[w.a])
    w.t2 = make_actor("technician", estates=[w.a])
    w.clerk_b = make_actor("cs_specialist", estates=[w.b])
    w.tech_b = make_actor("technician", estates=[w.b])
    w.plumbing = services.create_category(session, w.sup, estate_id=w.a.id, code="plumbing", name="Plumbing",
                                          name_zh="水管", dispatch_mode="grab")
    w.paid_cat = services.create_category(session, w.sup, estate_id=w.a.id, code="lock", name="Lock change",
                                          name_zh="换锁", paid=True, labour_fen=5000)

    def order(unit=None, **kw):
        data = {"unit_id": (unit or w.units[0]).id, "description": "厨房水管漏水", "reporter_party_id": w.owner.id,
                "category_id": w.plumbing.id} | kw
        return services.register_order(session, w.clerk, **data)

    def to_in_progress(o, tech=None):
        tech = tech or w.t1
        services.assign_technician(session, w.sup, o, tech)
        services.transition(session, w.clerk, o, "dispatch")
        services.transition(session, tech, o, "accept")
        services.transition(session, tech, o, "arrive")
        services.transition(session, tech, o, "start")
        return o

    def photo(o, actor=None):
        return add_attachment(session, actor or w.t1, o, "done.png", png(), kind="photo")

    w.order, w.to_in_progress, w.photo = order, to_in_progress, photo
    return w
