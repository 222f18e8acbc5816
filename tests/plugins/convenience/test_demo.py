"""Demo data (``wuye demo``): a published price list, orders in every state and an agreement."""

from __future__ import annotations

from sqlalchemy import func, select

from plugins.convenience.models import (
    CatalogueStatus,
    ConvenienceAgreement,
    ConvenienceCatalogueVersion,
    ConvenienceItem,
    ConvenienceOrder,
    FeeKind,
    OrderStatus,
)


def test_demo_data(seeded, make_staff):
    import random

    from core.demo import build_estate
    from plugins.convenience.demo import build_demo

    s = seeded
    estate = build_estate(s, {"code": "DM", "name": "演示花园", "kind": "residential", "address": "",
                              "management_office": "", "office_phone": "", "buildings": 1, "floors": 8,
                              "entrances": 1, "per_floor": 4}, random.Random(7))
    for role in ("office_manager", "cs_supervisor", "cs_specialist", "household_service_staff", "cashier"):
        make_staff(role, estates=[estate])
    make_staff("general_manager")
    build_demo(s, estate)
    version = s.scalar(select(ConvenienceCatalogueVersion).where(
        ConvenienceCatalogueVersion.estate_id == estate.id,
        ConvenienceCatalogueVersion.status == CatalogueStatus.published))
    assert version is not None and len(version.prices) >= 15
    kinds = set(s.scalars(select(ConvenienceItem.fee_kind).where(ConvenienceItem.estate_id == estate.id)))
    assert kinds == {FeeKind.free, FeeKind.paid}
    states = set(s.scalars(select(ConvenienceOrder.status).where(ConvenienceOrder.estate_id == estate.id)))
    assert states == set(OrderStatus)
    assert s.scalar(select(func.count(ConvenienceAgreement.id)).where(ConvenienceAgreement.estate_id == estate.id)) == 1
