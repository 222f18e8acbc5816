"""Small builders for billing tests: estates with chosen units, fee items with chosen prices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select, update

from core.models import Building, Estate, Role, StaffUser, Unit, UnitStatus
from core.seed import seed_all
from plugins.billing import run as _run
from plugins.billing import services as billing
from plugins.billing.models import ChargeLine, FeeItem

LONG_AGO = dt.date(2020, 1, 1)


def make_estate(session, code: str = "BT", buildings: int = 2) -> tuple[Estate, list[Building]]:
    estate = Estate(code=code, name=f"测试小区 {code}")
    session.add(estate)
    session.flush()
    rows = []
    for i in range(1, buildings + 1):
        b = Building(estate_id=estate.id, code=str(i), name=f"{i}栋")
        session.add(b)
        rows.append(b)
    session.flush()
    return estate, rows


def add_unit(
    session,
    building: Building,
    room: str,
    *,
    area="100.00",
    interior="80.00",
    delivered: dt.date | None = dt.date(2025, 1, 1),
    unit_type="residential",
    floor=1,
) -> Unit:
    unit = Unit(
        estate_id=building.estate_id,
        building_id=building.id,
        room_no=room,
        floor=floor,
        unit_type=unit_type,
        built_area=Decimal(area),
        interior_area=Decimal(interior),
        status=UnitStatus.occupied if delivered else UnitStatus.not_delivered,
        delivered_on=delivered,
    )
    session.add(unit)
    session.flush()
    return unit


def quiet_catalogue(session) -> None:
    """Deactivate every existing fee item so a test bills only the items it creates."""
    session.execute(update(FeeItem).values(active=False))
    session.expire_all()


def item(
    session,
    estate,
    code: str,
    *,
    price="2.50",
    basis="built_area",
    category="property_service",
    cycle="monthly",
    since=LONG_AGO,
    **kw,
) -> FeeItem:
    return billing.create_fee_item(
        session,
        None,
        code=code,
        name=code,
        name_zh=code,
        category=category,
        basis=basis,
        cycle=cycle,
        price=price,
        effective_from=since,
        estate_id=estate.id,
        **kw,
    )


def lines_of(session, unit=None, **where) -> list[ChargeLine]:
    stmt = select(ChargeLine).order_by(ChargeLine.id)
    if unit is not None:
        stmt = stmt.where(ChargeLine.unit_id == unit.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(ChargeLine, key) == value)
    return list(session.scalars(stmt))


def amounts(session, period: str, code: str) -> dict[str, int]:
    """``{room_no: amount_fen}`` of the run lines of one fee item and period."""
    rows = session.execute(
        select(Unit.room_no, ChargeLine.amount_fen)
        .join(Unit, Unit.id == ChargeLine.unit_id)
        .join(FeeItem, FeeItem.id == ChargeLine.fee_item_id)
        .where(ChargeLine.run_period == period, FeeItem.code == code)
    )
    return dict(rows.all())


def run_billing(session, estate, period, **kw):
    """The run without its per-building commits: tests on ``session`` roll back (test_run has the committed ones)."""
    return _run.run_billing(session, estate, period, commit=False, **kw)


def run_billing_range(session, estate, first, last, **kw):
    return _run.run_billing_range(session, estate, first, last, commit=False, **kw)


def staff(session, username: str, *roles: str, estates=()) -> StaffUser:
    """A staff user with ``roles`` (no password hashing: argon2 costs half a second per user)."""
    rows = list(session.scalars(select(Role).where(Role.name.in_(roles))))
    assert len(rows) == len(roles), roles
    user = StaffUser(
        username=username, full_name=username, password_hash="!", roles=rows, estates=list(estates)
    )
    session.add(user)
    session.flush()
    return user


def charge(
    session,
    unit,
    code: str,
    fen: int,
    *,
    due: dt.date,
    posted: dt.date | None = None,
    tag: str = "",
    period: str | None = None,
) -> ChargeLine:
    """A posted charge with explicit dates (post_charge stamps today; tests must not depend on the clock)."""
    fee = session.scalar(select(FeeItem).where(FeeItem.code == code))
    line = ChargeLine(
        estate_id=unit.estate_id,
        unit_id=unit.id,
        fee_item_id=fee.id,
        period=period,
        origin="posted",
        amount_fen=fen,
        due_on=due,
        posted_on=posted or min(due, dt.date(2026, 1, 1)),
        source=f"test:{tag or unit.id}:{due}:{fen}",
    )
    session.add(line)
    session.flush()
    return line


def committed_estate(wuye) -> dict:
    """Estate CC (three units in two buildings, one fee item ``pf``), committed: for tests of real commits."""
    with wuye.session() as s:
        seed_all(s, wuye)
        quiet_catalogue(s)
        estate, (b1, b2) = make_estate(s, "CC")
        units = [
            add_unit(s, b1, "101"),
            add_unit(s, b1, "102", area="89.37"),
            add_unit(s, b2, "201", area="120.55"),
        ]
        item(s, estate, "pf", price="2.35")
        return {"estate": estate.code, "units": [u.id for u in units]}
