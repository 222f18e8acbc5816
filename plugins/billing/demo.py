"""Demo data: a year of monthly bills (the twelve months before the business date) with payments
and realistic arrears.

Most units pay (quarterly, half-yearly, yearly or monthly; some prepay the year); about one in ten
is 1-6 months behind; a few carry arrears brought forward from before the company took over (over a
year old) and pay nothing. Bills come from the real set-based run, issued on the 1st of each month,
so the demo exercises the production path.

Every date is relative to the estate's business date (``core.estate_today``), so a demo built
next year looks the same as one built today; tests pin the date with ``core.business_date``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import estate_today, untracked
from core.models import Estate, StaffUser, Unit
from plugins.billing import periods as P
from plugins.billing.calc import line_amount_fen
from plugins.billing.fees import ensure_fee_items, price_for
from plugins.billing.ledger import live_lines, open_lines, paid_expr, post_charge
from plugins.billing.meters import apportion, create_meter, record_reading
from plugins.billing.models import ChargeLine, FeeItem
from plugins.billing.payments import record_payment
from plugins.billing.run import run_billing

MONTHS = 12  # the demo's year of bills


def demo_periods(today: dt.date) -> tuple[str, str]:
    """The first and last billed period: the twelve whole months before ``today``'s month."""
    last = P.add_months(P.period_of(today), -1)
    return P.add_months(last, 1 - MONTHS), last


METHODS = ("wechat", "wechat", "alipay", "cash", "transfer", "card")


def _monthly_fee(session: Session, unit: Unit, on: dt.date) -> int:
    code = {"shop": "property_service_shop", "office": "property_service_office"}.get(
        unit.unit_type, "property_service"
    )
    item = session.scalar(select(FeeItem).where(FeeItem.code == code))
    price = price_for(session, item, unit.estate_id, on) if item else None
    if price is None:
        return 0
    return line_amount_fen(
        "built_area", price.price_cfen, quantity=Decimal(unit.built_area).quantize(Decimal("0.01"))
    )


def build_demo(session: Session, estate: Estate) -> dict:
    """Bills, payments, arrears and a common meter's apportionment for ``estate`` (deterministic)."""
    with untracked(session):  # demo data is not anybody's activity (and is 10k+ rows)
        return _demo(session, estate)


def _demo(session: Session, estate: Estate) -> dict:
    ensure_fee_items(session)
    today = estate_today(session, estate)
    first, last = demo_periods(today)
    takeover = P.bounds(first)[0] - dt.timedelta(days=1)  # the company took over the day before
    rng = random.Random(f"billing-{estate.code}")
    units = list(
        session.scalars(
            select(Unit).where(Unit.estate_id == estate.id, Unit.delivered_on.isnot(None)).order_by(Unit.id)
        )
    )
    kinds = {}
    for unit in units:
        r = rng.random()
        kinds[unit.id] = (
            "debtor"
            if r < 0.03
            else "behind"
            if r < 0.13
            else "prepay"
            if r < 0.17
            else "monthly"
            if r < 0.22
            else "quarterly"
            if r < 0.55
            else "half_yearly"
            if r < 0.85
            else "yearly"
        )
    behind = {u.id: rng.randint(1, 6) for u in units if kinds[u.id] == "behind"}
    for unit in units:  # arrears brought forward (期初欠费) for the long-term debtors
        if kinds[unit.id] == "debtor":
            months = rng.randint(13, 30)
            post_charge(
                session,
                None,
                unit=unit,
                fee_item_code="opening_arrears",
                amount_fen=_monthly_fee(session, unit, takeover + dt.timedelta(days=1)) * months,
                source=f"billing:opening:{unit.id}",
                description=f"接管前欠费 {months} 个月",
                due_on=takeover - dt.timedelta(days=30 * months),
                posted_on=takeover,
            )
    meter = create_meter(
        session,
        None,
        estate=estate,
        code=f"{estate.code}-GG-01",
        fee_item_code="electricity",
        initial_reading="10000",
        max_value="100000",
    )
    collectors = list(
        session.scalars(
            select(StaffUser)
            .where(StaffUser.username.in_(("cashier", "finance_dept")))
            .order_by(StaffUser.username)
        )
    ) or [None]
    value = Decimal(meter.initial_reading)
    for i, period in enumerate(P.periods_between(first, last)):
        start, end = P.bounds(period)
        if i == 0:
            for unit in units:
                if kinds[unit.id] == "prepay":
                    record_payment(
                        session,
                        None,
                        unit=unit,
                        amount_fen=_monthly_fee(session, unit, start) * 12,
                        method="transfer",
                        payer="业主预存",
                        paid_on=start - dt.timedelta(days=3),
                    )
        run_billing(session, estate, period, commit=False, today=start)
        value += rng.randint(3000, 5000)  # kWh of the common lighting and pumps this month
        reading = record_reading(session, None, meter, period=period, read_on=end, value=str(value))
        apportion(session, None, reading, today=end)
        balances = owed_by_unit(session, estate)
        for unit in units:
            _pay(
                session,
                unit,
                kinds[unit.id],
                behind.get(unit.id, 0),
                i,
                period,
                rng,
                rng.choice(collectors),
                balances.get(unit.id, 0),
                today,
            )
    session.flush()
    return {"units": len(units), "debtors": sum(k == "debtor" for k in kinds.values()), "behind": len(behind)}


def owed_by_unit(session: Session, estate: Estate) -> dict[int, int]:
    """What each unit of the estate owes now (``ledger.unit_balance_fen`` of every unit, in one query).

    Taken once a month after the bills and before anybody pays: a payment only touches its own unit's
    lines and account, so each unit's figure stays right until its own turn. Asking unit by unit cost
    a query and an ORM load of every open line per unit and month.
    """
    open_ = ChargeLine.amount_fen - paid_expr()
    rows = session.execute(
        select(ChargeLine.unit_id, func.sum(open_))
        .where(ChargeLine.estate_id == estate.id, *live_lines(), open_ > 0)
        .group_by(ChargeLine.unit_id)
    )
    return {unit_id: int(owed) for unit_id, owed in rows}


def _pay(
    session: Session,
    unit: Unit,
    kind: str,
    lag: int,
    index: int,
    period: str,
    rng: random.Random,
    collector,
    balance: int,
    today: dt.date,
) -> None:
    """One unit's payment of the month, if its habit says it pays now (``balance``: what it owes)."""
    start, end = P.bounds(period)
    day = min(start + dt.timedelta(days=rng.randint(4, 27)), today - dt.timedelta(days=1))
    if kind in ("debtor", "prepay"):
        return
    if any(
        kind == k and index % n != n - 1 for k, n in (("quarterly", 3), ("half_yearly", 6), ("yearly", 12))
    ):
        return
    if kind == "behind":
        if index < lag or index % 3 != 2:  # pays quarterly, always ``lag`` months late
            return
        owed = [
            (line, open_)
            for line, open_ in open_lines(session, unit.id)
            if line.period is not None and line.period <= P.add_months(period, -lag)
        ]
        if not owed:
            return
        amount, lines = sum(o for _l, o in owed), [line.id for line, _o in owed]
    else:
        amount, lines = balance, None
    if amount > 0:
        record_payment(
            session,
            collector,
            unit=unit,
            amount_fen=amount,
            method=rng.choice(METHODS),
            lines=lines,
            payer="业主",
            paid_on=day,
        )
