"""Planning a billing run: the estate, the fee items and prices due, the buildings and the chunks.

A run bills whole buildings in chunks of about 5% of the estate's units (at most
:data:`CHUNK_MAX_UNITS`); each chunk is one transaction, so a run killed midway loses at most one
chunk of work and is completed by running it again.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import NotFound, Text, ValidationError
from core.models import Building, Estate, Unit
from plugins.billing import periods as P
from plugins.billing.fees import items_for_estate, price_for
from plugins.billing.models import FeeItem, FeePrice

CHUNK_MAX_UNITS = 5_000  # units billed per transaction, at most (whole buildings; see run_chunks)


def resolve_estate(session: Session, estate) -> Estate:
    """``estate`` as an Estate: given as one, by its code or by its id; NotFound names the estate."""
    if isinstance(estate, Estate):
        return estate
    found = (
        session.scalar(select(Estate).where(Estate.code == estate))
        if isinstance(estate, str)
        else session.get(Estate, estate)
    )
    if found is None:
        raise NotFound(f"no estate {estate!r}; see `wuye estates list`", field="estate")
    return found


def plan(session: Session, estate: Estate, period: str) -> list[tuple[FeeItem, FeePrice]]:
    """The recurring fee items of the estate with the price in force on the period's first day.

    A fee item without a price for the period is a ValidationError naming the item and the period.
    """
    start, _end = P.bounds(period)
    out, missing = [], []
    for item in items_for_estate(session, estate.id):
        if item.cycle == "one_off":
            continue
        price = price_for(session, item, estate.id, start)
        if price is None:
            missing.append(item.code)
        else:
            out.append((item, price))
    if missing:
        raise ValidationError(
            {
                "fee_item": [
                    Text(f"fee item {code} has no price for period {period}; add a price "
                         f"effective on or before {start} (Billing > Prices)",
                         f"收费项目 {code} 没有 {period} 的价格，请在“收费管理 > 收费标准”中添加 {start} 或之前生效的价格")
                    for code in missing
                ]
            },
            field="fee_item",
        )
    return out


def run_buildings(session: Session, estate: Estate, only) -> list[Building]:
    """The estate's buildings in run order (code, id), or just ``only`` (ids or objects) among them."""
    rows = list(
        session.scalars(
            select(Building).where(Building.estate_id == estate.id).order_by(Building.code, Building.id)
        )
    )
    if only is None:
        return rows
    wanted = {getattr(b, "id", b) for b in only}
    unknown = wanted - {b.id for b in rows}
    if unknown:
        raise ValidationError(
            f"building(s) {sorted(unknown)} are not in estate {estate.code}", field="buildings"
        )
    return [b for b in rows if b.id in wanted]


def unit_counts(session: Session, estate: Estate) -> dict[int, int]:
    """``{building id: number of units}`` of the estate's buildings."""
    return dict(
        session.execute(
            select(Unit.building_id, func.count()).where(Unit.estate_id == estate.id).group_by(Unit.building_id)
        ).all()
    )


def run_chunks(session: Session, estate: Estate, buildings: list[Building]) -> list[list[Building]]:
    """Whole buildings in run order, grouped into chunks of about 5% of the estate's units.

    A chunk is one transaction: at least one building, at most ~:data:`CHUNK_MAX_UNITS` units (a
    bigger building is a chunk of its own). Small estates therefore commit building by building.
    """
    counts = unit_counts(session, estate)
    target = min(CHUNK_MAX_UNITS, sum(counts.values()) // 20)
    chunks: list[list[Building]] = []
    size = 0
    for building in buildings:
        n = counts.get(building.id, 0)
        if not chunks or (size > 0 and size + n > target):
            chunks.append([])
            size = 0
        chunks[-1].append(building)
        size += n
    return chunks
