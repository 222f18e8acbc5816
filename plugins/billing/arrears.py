"""Arrears (欠费): ageing as of a date, collection rate (收缴率) and late fees (滞纳金).

"As of" a date means: lines posted by then, payments received by then, reversals made by then.
Buckets count days since the due date: 0-30, 31-90, 91-365, 366-1095 and over 1095 (the manual's
list of owners more than three years behind, compiled before March).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import case, exists, func, literal, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from core import Text, ValidationError, utcnow
from core.models import Building, StaffUser, Unit
from plugins.billing import periods as P
from plugins.billing.calc import round_div
from plugins.billing.fees import get_fee_item
from plugins.billing.ledger import dialect_insert
from plugins.billing.models import Allocation, ChargeLine, FeeItem, Payment

BUCKETS = ("0-30", "31-90", "91-365", "366-1095", "over_1095")
_LIMITS = ((30, "0-30"), (90, "31-90"), (365, "91-365"), (1095, "366-1095"))


def _paid_as_of(as_of: dt.date | None):
    stmt = (
        select(func.coalesce(func.sum(Allocation.amount_fen), 0))
        .join(Payment, Payment.id == Allocation.payment_id)
        .where(Allocation.charge_line_id == ChargeLine.id)
    )
    if as_of is not None:
        stmt = stmt.where(Payment.paid_on <= as_of)
    return stmt.scalar_subquery()


def _live_as_of(as_of: dt.date):
    rev = aliased(ChargeLine)
    return (
        ChargeLine.origin != "reversal",
        ChargeLine.posted_on <= as_of,
        ~exists().where(rev.reverses_id == ChargeLine.id, rev.posted_on <= as_of),
    )


def open_as_of(as_of: dt.date):
    """Expression: what a charge line still owed at the end of ``as_of``."""
    return ChargeLine.amount_fen - _paid_as_of(as_of)


def aging(session: Session, estate, as_of: dt.date, *, unit: Unit | None = None) -> dict:
    """Arrears ageing of an estate (or one unit) as of a day.

    Returns ``{"as_of", "buckets": {bucket: fen}, "total_fen", "not_due_fen", "units": [{"unit_id",
    "label", "buckets": {...}, "total_fen", "oldest_due_on"}]}``; units sorted by total, largest first.
    """
    open_ = open_as_of(as_of)
    whens = [(ChargeLine.due_on > as_of, literal("not_due"))]
    whens += [
        (ChargeLine.due_on >= as_of - dt.timedelta(days=days), literal(label)) for days, label in _LIMITS
    ]
    bucket = case(*whens, else_=literal("over_1095"))
    stmt = (
        select(ChargeLine.unit_id, bucket.label("bucket"), func.sum(open_), func.min(ChargeLine.due_on))
        .where(ChargeLine.estate_id == estate.id, *_live_as_of(as_of), open_ > 0)
        .group_by(ChargeLine.unit_id, bucket)
    )
    if unit is not None:
        stmt = stmt.where(ChargeLine.unit_id == unit.id)
    per_unit: dict[int, dict] = {}
    totals = dict.fromkeys(BUCKETS, 0)
    not_due = 0
    for unit_id, label, amount, oldest in session.execute(stmt):
        amount = int(amount)
        if label == "not_due":
            not_due += amount
            continue
        row = per_unit.setdefault(
            unit_id,
            {
                "unit_id": unit_id,
                "buckets": dict.fromkeys(BUCKETS, 0),
                "total_fen": 0,
                "oldest_due_on": oldest,
            },
        )
        row["buckets"][label] += amount
        row["total_fen"] += amount
        row["oldest_due_on"] = min(row["oldest_due_on"], oldest)
        totals[label] += amount
    labels = unit_labels(session, list(per_unit))
    units = sorted(per_unit.values(), key=lambda r: (-r["total_fen"], r["unit_id"]))
    for r in units:
        r["label"] = labels.get(r["unit_id"], str(r["unit_id"]))
    return {
        "as_of": as_of,
        "buckets": totals,
        "total_fen": sum(totals.values()),
        "not_due_fen": not_due,
        "units": units,
    }


def unit_labels(session: Session, unit_ids: list[int]) -> dict[int, str]:
    """``{unit_id: "3-2-1201"}`` in one query."""
    if not unit_ids:
        return {}
    rows = session.execute(
        select(Unit.id, Building.code, Unit.entrance, Unit.room_no)
        .join(Building, Building.id == Unit.building_id)
        .where(Unit.id.in_(unit_ids))
    )
    return {uid: "-".join(p for p in (b, e, r) if p) for uid, b, e, r in rows}


def long_term_arrears(session: Session, estate, as_of: dt.date, years: int = 3) -> list[dict]:
    """Units owing for more than ``years`` years (the list compiled before March each year)."""
    report = aging(session, estate, as_of)
    limit = as_of - dt.timedelta(days=365 * years)
    return [u for u in report["units"] if u["oldest_due_on"] < limit]


def _rate(paid: int, billed: int) -> Decimal:
    return (Decimal(paid * 100) / Decimal(billed)).quantize(Decimal("0.01")) if billed else Decimal("0.00")


def collection_rate(
    session: Session, estate, period: str, *, by: str = "estate", as_of: dt.date | None = None
) -> list[dict]:
    """收缴率 = paid / billed for the lines of ``period``, by ``estate``, ``building`` or ``collector``.

    Rows: ``{"key", "label", "billed_fen", "paid_fen", "rate"}`` (rate: Decimal percent, 2 places).
    For collectors, ``billed_fen`` is the whole period's billing and ``paid_fen`` what each collector
    took for it (prepaid applications count under key None, "预存抵扣"). Payments after ``as_of`` are
    ignored when given.
    """
    P.parse_period(period)
    if by not in ("estate", "building", "collector"):
        raise ValidationError(Text("group by estate, building or collector", "请按小区、楼栋或收款人分组"), field="by")
    live = (
        ChargeLine.estate_id == estate.id,
        ChargeLine.period == period,
        ChargeLine.origin != "reversal",
        ChargeLine.reversed_at.is_(None),
    )
    if by == "collector":
        billed = int(session.scalar(select(func.coalesce(func.sum(ChargeLine.amount_fen), 0)).where(*live)))
        stmt = (
            select(Payment.collector_id, func.sum(Allocation.amount_fen))
            .join(Allocation, Allocation.payment_id == Payment.id)
            .join(ChargeLine, ChargeLine.id == Allocation.charge_line_id)
            .where(*live)
            .group_by(Payment.collector_id)
        )
        if as_of is not None:
            stmt = stmt.where(Payment.paid_on <= as_of)
        rows = [(cid, int(p)) for cid, p in session.execute(stmt)]
        names = {
            s.id: str(s)
            for s in session.scalars(
                select(StaffUser).where(StaffUser.id.in_([c for c, _ in rows if c is not None]))
            )
        }
        return sorted(
            (
                {
                    "key": cid,
                    "label": names.get(cid, "预存抵扣") if cid else "预存抵扣",
                    "billed_fen": billed,
                    "paid_fen": paid,
                    "rate": _rate(paid, billed),
                }
                for cid, paid in rows
            ),
            key=lambda r: (-r["paid_fen"], str(r["key"])),
        )
    paid = _paid_as_of(as_of)
    key = Unit.building_id if by == "building" else ChargeLine.estate_id
    stmt = (
        select(key, func.sum(ChargeLine.amount_fen), func.sum(paid))
        .join(Unit, Unit.id == ChargeLine.unit_id)
        .where(*live)
        .group_by(key)
        .order_by(key)
    )
    out = []
    labels = {b.id: str(b) for b in session.scalars(select(Building).where(Building.estate_id == estate.id))}
    for k, billed, paid_ in session.execute(stmt):
        label = labels.get(k, str(k)) if by == "building" else estate.code
        out.append(
            {
                "key": k,
                "label": label,
                "billed_fen": int(billed),
                "paid_fen": int(paid_),
                "rate": _rate(int(paid_), int(billed)),
            }
        )
    if not out and by == "estate":
        out.append(
            {"key": estate.id, "label": estate.code, "billed_fen": 0, "paid_fen": 0, "rate": Decimal("0.00")}
        )
    return out


def late_fee_fen(open_fen: int, permille: Decimal, days: int) -> int:
    """Late fee for ``days`` days on ``open_fen`` at ``permille`` ‰ a day, half-up to the fen."""
    return round_div(open_fen * _milli(permille) * max(days, 0), 1000 * 1000)


def _milli(permille) -> int:
    milli = Decimal(str(permille)) * 1000
    if milli != milli.to_integral_value():
        raise ValueError("late_fee_daily_permille has at most 3 decimals")
    return int(milli)


def daily_late_fee_fen(
    amount_fen: int,
    payments: list[tuple[dt.date, int]],
    permille,
    first: dt.date,
    last: dt.date,
    paused: list[tuple[dt.date, dt.date | None]] = (),
) -> int:
    """滞纳金 accrued from ``first`` to ``last`` (inclusive), each day on that day's open balance.

    A day's balance is ``amount_fen`` less the ``payments`` (day, fen) received by the end of that
    day, so money paid on the 25th stops the accrual on its part from the 25th. Days inside a
    ``paused`` window (from, until-exclusive or None: a dispute) accrue nothing. The sum of
    balance × days is rounded once, half-up, to the fen.
    """
    milli = _milli(permille)
    if first > last or milli == 0:
        return 0
    fen_days = 0
    day = first
    while day <= last:
        if any(a <= day and (b is None or day < b) for a, b in paused):
            day += dt.timedelta(days=1)
            continue
        open_ = amount_fen - sum(fen for on, fen in payments if on <= day)
        fen_days += max(open_, 0)
        day += dt.timedelta(days=1)
    return round_div(fen_days * milli, 1000 * 1000)


def disputed_windows(session: Session, unit_ids) -> dict[int, list[tuple[dt.date, dt.date | None]]]:
    """``{unit_id: [(disputed_on, resolved_on or None)]}``: the days late fees pause (dunning disputes)."""
    from plugins.billing.models import DunningCase

    out: dict[int, list] = {}
    if not unit_ids:
        return out
    # a case closed while disputed (its arrears paid) ends its dispute on the day it closed
    for uid, a, b in session.execute(
        select(DunningCase.unit_id, DunningCase.disputed_on,
               func.coalesce(DunningCase.dispute_resolved_on, DunningCase.closed_on)).where(
            DunningCase.unit_id.in_(list(unit_ids)), DunningCase.disputed_on.isnot(None)
        )
    ):
        out.setdefault(uid, []).append((a, b))
    return out


def assess_late_fees(session: Session, estate, period: str, permille) -> dict:
    """Post the late fees (滞纳金) accrued during ``period`` on lines overdue in it.

    A billing run assesses the month before it (a month that has fully elapsed).

    Each overdue day of the period accrues the rate on that day's open balance (not the month-end
    balance: a line paid late in the month still owes the fee for the days it was open). The rate is
    the fee item's own ``late_fee_daily_permille`` when set, else ``permille`` (the config's). Days
    while the unit's dunning case is disputed accrue nothing. One ``late_fee`` line per overdue line
    and period (source ``billing:late_fee:<line>:<period>``, so a rerun adds nothing). The late fees
    of a line never add up to more than its amount (the courts' cap: not above the arrears).
    """
    start, end = P.bounds(period)
    default = Decimal(str(permille or 0))
    open_before = open_as_of(start - dt.timedelta(days=1))
    # lines whose rate (the item's own, else the config's) is above 0; written without binding a
    # Decimal, which SQLite's driver would send as a float
    own_rate_on = FeeItem.late_fee_daily_permille > literal_column("0")
    accrues = or_(FeeItem.late_fee_daily_permille.is_(None), own_rate_on) if default > 0 else own_rate_on
    rows = session.execute(
        select(ChargeLine.id, ChargeLine.unit_id, ChargeLine.due_on, ChargeLine.posted_on, ChargeLine.amount_fen,
               FeeItem.late_fee_daily_permille, ChargeLine.payer)
        .join(FeeItem, FeeItem.id == ChargeLine.fee_item_id)
        .where(
            ChargeLine.estate_id == estate.id,
            *_live_as_of(end),
            ChargeLine.origin.notin_(("late_fee",)),
            ChargeLine.due_on < end,
            open_before > 0,  # open when the period began (or posted since): paid-later lines still accrue
            accrues,
        )
        .order_by(ChargeLine.id)
    ).all()
    if not rows:
        return {"lines": 0, "amount_fen": 0}
    item = get_fee_item(session, "late_fee")  # only when something accrues: late fees may be off
    ids = [r[0] for r in rows]
    paid: dict[int, list] = {}
    for line_id, on, fen in session.execute(
        select(Allocation.charge_line_id, Payment.paid_on, Allocation.amount_fen)
        .join(Payment, Payment.id == Allocation.payment_id)
        .where(Allocation.charge_line_id.in_(ids), Payment.paid_on <= end)
    ):
        paid.setdefault(line_id, []).append((on, int(fen)))
    paused = disputed_windows(session, {r[1] for r in rows})
    charged: dict[int, int] = {}
    for source, amount in session.execute(
        select(ChargeLine.source, ChargeLine.amount_fen).where(
            ChargeLine.estate_id == estate.id,
            ChargeLine.origin == "late_fee",
            ChargeLine.reversed_at.is_(None),
        )
    ):
        base = int(source.split(":")[2])
        charged[base] = charged.get(base, 0) + amount
    new = []
    for line_id, unit_id, due, posted, amount, own_rate, payer in rows:
        # overdue from the day after the due date (or after posting, if later), within the period
        first = max(max(due, posted) + dt.timedelta(days=1), start)
        fee = daily_late_fee_fen(
            int(amount), paid.get(line_id, []), own_rate if own_rate is not None else default, first, end,
            paused.get(unit_id, []),
        )
        fee = min(fee, int(amount) - charged.get(line_id, 0))
        if fee > 0:
            new.append(
                {
                    "estate_id": estate.id,
                    "unit_id": unit_id,
                    "fee_item_id": item.id,
                    "period": period,
                    "origin": "late_fee",
                    "amount_fen": fee,
                    "due_on": end,
                    "posted_on": end,
                    "payer": payer,  # the late line's bill-to party (owner, occupant or developer)
                    "description": f"滞纳金 {period} (#{line_id})",
                    "source": f"billing:late_fee:{line_id}:{period}",
                    "created_at": utcnow(),
                }
            )
    created = []
    if new:
        ins = dialect_insert(session, ChargeLine).values(new).on_conflict_do_nothing()
        created = session.execute(ins.returning(ChargeLine.amount_fen)).all()
    return {"lines": len(created), "amount_fen": sum(int(a) for (a,) in created)}
