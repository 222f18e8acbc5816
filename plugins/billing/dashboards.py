"""Billing on the workplace: to-dos (待办), home cards and dashboard charts.

Every number comes from the billing services: the collection rate (收缴率) by month and by building
is :func:`plugins.billing.arrears.collection_rate`; ageing (欠费账龄) is :func:`arrears.aging`'s
buckets (fast since billing_0003 indexed reversals); the
rate by fee category is the same formula as ``collection_rate`` grouped by the fee item's category
(the service has no such grouping), so the categories add up to the estate's total.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from core import Card, Chart, InboxItem, Text, estate_today, has_permission, visible_estate_ids
from core.models import Estate, Unit
from plugins.billing import periods as P
from plugins.billing.arrears import BUCKETS, _paid_as_of, _rate, aging, collection_rate
from plugins.billing.models import ChargeLine, DunningAction, DunningCase, FeeItem

MONTHS = 12  # the collection-rate trend covers this many billing periods up to the latest billed one
LIMIT = 20

CATEGORY_LABELS = {
    "property_service": Text("Property service fee", "物业服务费"),
    "shared_utilities": Text("Shared utilities", "公摊水电费"),
    "water": Text("Water", "水费"),
    "electricity": Text("Electricity", "电费"),
    "parking_management": Text("Parking management", "车位管理费"),
    "parking_rent": Text("Parking rent", "车位租金"),
    "renovation": Text("Renovation", "装修费用"),
    "convenience": Text("Convenience services", "便民服务费"),
    "pass_through": Text("Collected for others", "代收代缴"),
    "other": Text("Other", "其他"),
}
BUCKET_LABELS = {
    "0-30": Text("0-30 days", "0-30天"), "31-90": Text("31-90 days", "31-90天"),
    "91-365": Text("91-365 days", "91-365天"), "366-1095": Text("1-3 years", "1-3年"),
    "over_1095": Text("Over 3 years", "3年以上"),
}
RATE = Text("Collection rate %", "收缴率 %")


def estates_of(session: Session, actor) -> list[Estate]:
    """The estates ``actor`` works for, by code."""
    ids = visible_estate_ids(session, actor)
    stmt = select(Estate).order_by(Estate.code)
    if ids is not None:
        stmt = stmt.where(Estate.id.in_(list(ids)))
    return list(session.scalars(stmt))


def yuan(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))


def last_periods(today: dt.date, n: int = MONTHS) -> list[str]:
    current = P.period_of(today)
    return [P.add_months(current, -i) for i in range(n - 1, -1, -1)]


def latest_period(session: Session, estate: Estate, today: dt.date) -> str:
    """The latest period billed by ``today`` (this month's run may not have happened yet), else today's."""
    current = P.period_of(today)
    found = session.scalar(select(func.max(ChargeLine.period)).where(
        ChargeLine.estate_id == estate.id, ChargeLine.period <= current, ChargeLine.period.is_not(None)))
    return found or current


def rate_by_month(session: Session, estate: Estate, today: dt.date, last: str | None = None) -> list[dict]:
    """``collection_rate`` of the estate for the 12 periods up to ``last`` (default today's), payments up to ``today``."""
    end = P.bounds(last)[0] if last else today
    return [{"period": p, **collection_rate(session, estate, p, as_of=today)[0]} for p in last_periods(end)]


def rate_by_category(session: Session, estate: Estate, period: str, as_of: dt.date | None = None) -> list[dict]:
    """收缴率 of ``period`` per fee category: rows ``{"key", "label", "billed_fen", "paid_fen", "rate"}``."""
    paid = _paid_as_of(as_of)
    stmt = (select(FeeItem.category, func.sum(ChargeLine.amount_fen), func.sum(paid))
            .join(FeeItem, FeeItem.id == ChargeLine.fee_item_id)
            .join(Unit, Unit.id == ChargeLine.unit_id)
            .where(ChargeLine.estate_id == estate.id, ChargeLine.period == period, ChargeLine.origin != "reversal",
                   ChargeLine.reversed_at.is_(None))
            .group_by(FeeItem.category).order_by(FeeItem.category))
    return [{"key": cat, "label": CATEGORY_LABELS.get(cat, cat), "billed_fen": int(billed),
             "paid_fen": int(paid_), "rate": _rate(int(paid_), int(billed))}
            for cat, billed, paid_ in session.execute(stmt)]


def _rate_chart(chart_id, title, estate, rows, category_title, order, kind="bar") -> Chart:
    return Chart(id=chart_id, title=title, estate_id=estate.id, kind=kind, unit="%", order=order,
                 category_title=category_title, categories=tuple(r["label"] for r in rows),
                 series=((Text("Billed ¥", "应收 ¥"), tuple(yuan(r["billed_fen"]) for r in rows)),
                         (Text("Paid ¥", "实收 ¥"), tuple(yuan(r["paid_fen"]) for r in rows)),
                         (RATE, tuple(r["rate"] for r in rows))))


def charts(session: Session, actor, today: dt.date) -> list[Chart]:
    """Collection rate by month, by building and by fee category, and arrears ageing, per estate."""
    if not has_permission(session, actor, "billing.reports"):
        return []
    out = []
    for estate in estates_of(session, actor):
        day = today or estate_today(session, estate)
        period = latest_period(session, estate, day)
        months = [dict(r, label=r["period"]) for r in rate_by_month(session, estate, day, period)]
        out.append(_rate_chart("billing-collection-by-month", Text("Collection rate by month", "收缴率(按月)"),
                               estate, months, Text("Period", "账期"), 10, kind="line"))
        out.append(_rate_chart("billing-collection-by-building",
                               Text(f"Collection rate by building, {period}", f"收缴率(按楼栋) {period}"),
                               estate, collection_rate(session, estate, period, by="building", as_of=day),
                               Text("Building", "楼栋"), 11))
        out.append(_rate_chart("billing-collection-by-category",
                               Text(f"Collection rate by fee category, {period}", f"收缴率(按收费类别) {period}"),
                               estate, rate_by_category(session, estate, period, day), Text("Fee category", "收费类别"),
                               12))
        buckets = aging(session, estate, day)["buckets"]
        out.append(Chart(id="billing-arrears-ageing", title=Text(f"Arrears ageing as of {day}", f"欠费账龄 截至{day}"),
                         estate_id=estate.id, kind="bar", unit="yuan", order=13,
                         category_title=Text("Age", "账龄"),
                         categories=tuple(BUCKET_LABELS[b] for b in BUCKETS),
                         series=((Text("Arrears ¥", "欠费 ¥"), tuple(yuan(buckets[b]) for b in BUCKETS)),)))
    return out


def _followups(session: Session, actor, today: dt.date):
    ids = visible_estate_ids(session, actor)
    stmt = select(DunningAction).where(DunningAction.done_on.is_(None), DunningAction.due_on <= today)
    if ids is not None:
        stmt = stmt.where(DunningAction.estate_id.in_(list(ids)))
    return stmt


def inbox_items(session: Session, actor, today: dt.date) -> list[InboxItem]:
    """Arrears follow-ups (催缴) due by ``today``, for holders of ``billing.dunning``."""
    if not has_permission(session, actor, "billing.dunning"):
        return []
    group = Text("Arrears to follow up", "待催缴欠费")
    rows = session.execute(
        _followups(session, actor, today).with_only_columns(DunningAction, DunningCase, Unit)
        .join(DunningCase, DunningCase.id == DunningAction.case_id).join(Unit, Unit.id == DunningCase.unit_id)
        .order_by(DunningAction.due_on, DunningAction.id).limit(LIMIT)).all()
    return [InboxItem(kind="billing.dunning", group=group, title=Text("Follow up arrears", "催缴"),
                      label=f"{unit} ¥{yuan(case.arrears_fen):,}", due_on=action.due_on,
                      overdue=action.overdue or action.due_on < today, estate_id=action.estate_id,
                      url=f"/admin/billing_dunning_actions/details/?id={action.id}")
            for action, case, unit in rows]


def home_cards(actor) -> list[Card]:
    """Arrears follow-ups due today (催缴) and today's payments, for those who handle them."""
    session = object_session(actor) if actor is not None else None
    if session is None:
        return []
    cards = []
    today = estate_today(session)
    if has_permission(session, actor, "billing.dunning"):
        stmt = _followups(session, actor, today).with_only_columns(DunningAction.id).limit(100)
        n = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        cards.append(Card("Arrears to follow up", "待催缴欠费", "99+" if n > 99 else n,
                          "/admin/billing_dunning_actions/?flt0_done_on_empty=1", order=30,
                          level="danger" if n else "success"))
    if has_permission(session, actor, "billing.view"):
        from plugins.billing.models import Payment

        ids = visible_estate_ids(session, actor)
        stmt = select(func.count(Payment.id), func.coalesce(func.sum(Payment.amount_fen), 0)).where(
            Payment.paid_on == today)
        if ids is not None:
            stmt = stmt.where(Payment.estate_id.in_(list(ids)))
        n, fen = session.execute(stmt).one()
        cards.append(Card("Today's payments", "今日收款", f"{n} · ¥{yuan(fen):,}", "/admin/billing_payments/",
                          order=31, level="info"))
    return cards
