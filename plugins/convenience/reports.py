"""Profitability review (保本微利, P2 4.3.3-4.3.4, P3 (13)): revenue against cost per item and period.

Revenue of an item in a period is what its services earned: the amount of every order delivered in
the period (per-job and monthly alike; cancelled orders never count) plus the monthly fees of its
agreements on the period's statements. Cost is what the manager enters per item and month. An item
whose cost exceeds its revenue is flagged as loss-making for the manager (raise the price, find more
users, or ask the general manager to stop it).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from core import Card, authorize, estate_today, has_permission, load, utcnow, visible_estate_ids
from core.models import Estate, StaffUser
from plugins.convenience import periods
from plugins.convenience.agreements import subscriber_count
from plugins.convenience.lookups import existing
from plugins.convenience.models import (
    ConvenienceItem,
    ConvenienceItemCost,
    ConvenienceOrder,
    ConvenienceStatementLine,
    OrderStatus,
)
from plugins.convenience.schemas import CostSchema

EARNING = (OrderStatus.delivered, OrderStatus.confirmed, OrderStatus.charged, OrderStatus.visited,
           OrderStatus.closed)


def enter_cost(session: Session, actor: StaffUser | None, data: dict) -> ConvenienceItemCost:
    """Enter (or correct) an item's cost for a month: ``item_id``, ``period`` (YYYY-MM), ``cost_fen``, ``note``."""
    values = load(CostSchema(), data)
    item = existing(session, ConvenienceItem, values["item_id"], "item_id")
    authorize(session, actor, "convenience.reports", item)
    row = session.scalar(select(ConvenienceItemCost).where(ConvenienceItemCost.item_id == item.id,
                                                           ConvenienceItemCost.period == values["period"]))
    if row is None:
        row = ConvenienceItemCost(estate_id=item.estate_id, item_id=item.id, period=values["period"], cost_fen=0)
        session.add(row)
    row.cost_fen, row.note = values["cost_fen"], values["note"]
    row.entered_by_id, row.entered_at = (actor.id if actor else None), utcnow()
    session.flush()
    return row


def _months(period: str) -> list[str]:
    period = periods.check_period(period, allow_year=True)
    return [f"{period}-{m:02d}" for m in range(1, 13)] if len(period) == 4 else [period]


def profitability(session: Session, actor: StaffUser | None, estate: Estate, period: str) -> list[dict]:
    """One row per paid item: revenue_fen, cost_fen, margin_fen, orders, subscribers, loss (period: month or year)."""
    authorize(session, actor, "convenience.reports", estate)
    months = _months(period)
    start, _ = periods.month_range_utc(session, estate.id, months[0])
    _, end = periods.month_range_utc(session, estate.id, months[-1])
    first_day, _ = periods.month_bounds(months[0])
    _, last_day = periods.month_bounds(months[-1])
    orders = dict(session.execute(
        select(ConvenienceOrder.item_id, func.count(ConvenienceOrder.id)).where(
            ConvenienceOrder.estate_id == estate.id, ConvenienceOrder.status.in_(EARNING),
            ConvenienceOrder.delivered_at >= start, ConvenienceOrder.delivered_at < end)
        .group_by(ConvenienceOrder.item_id)).all())
    order_revenue = dict(session.execute(
        select(ConvenienceOrder.item_id, func.sum(ConvenienceOrder.amount_fen)).where(
            ConvenienceOrder.estate_id == estate.id, ConvenienceOrder.status.in_(EARNING),
            ConvenienceOrder.delivered_at >= start, ConvenienceOrder.delivered_at < end)
        .group_by(ConvenienceOrder.item_id)).all())
    agreement_revenue = dict(session.execute(
        select(ConvenienceStatementLine.item_id, func.sum(ConvenienceStatementLine.amount_fen)).where(
            ConvenienceStatementLine.estate_id == estate.id, ConvenienceStatementLine.agreement_id.is_not(None),
            ConvenienceStatementLine.period.in_(months))
        .group_by(ConvenienceStatementLine.item_id)).all())
    costs = dict(session.execute(
        select(ConvenienceItemCost.item_id, func.sum(ConvenienceItemCost.cost_fen)).where(
            ConvenienceItemCost.estate_id == estate.id, ConvenienceItemCost.period.in_(months))
        .group_by(ConvenienceItemCost.item_id)).all())
    rows = []
    for item in session.scalars(select(ConvenienceItem).where(ConvenienceItem.estate_id == estate.id)
                                .order_by(ConvenienceItem.code)):
        revenue = int(order_revenue.get(item.id) or 0) + int(agreement_revenue.get(item.id) or 0)
        cost = costs.get(item.id)
        if not revenue and cost is None and item.id not in orders:
            continue
        cost = int(cost or 0)
        rows.append({
            "item_id": item.id, "item": item.code, "item_name": item.name_zh or item.name, "period": period,
            "fee_kind": str(item.fee_kind), "orders": int(orders.get(item.id, 0)),
            "subscribers": subscriber_count(session, item.id, first_day, last_day),
            "revenue_fen": revenue, "cost_fen": cost, "margin_fen": revenue - cost, "loss": cost > revenue,
        })
    return rows


def loss_making_items(session: Session, actor: StaffUser | None, estate: Estate, period: str) -> list[dict]:
    """The rows of ``profitability`` whose cost exceeds their revenue (亏损), for the manager."""
    return [row for row in profitability(session, actor, estate, period) if row["loss"]]


def dashboard_cards(session: Session, actor: StaffUser | None) -> list:
    """A warning card listing last month's loss-making items for holders of ``convenience.reports``."""
    if actor is None or not has_permission(session, actor, "convenience.reports"):
        return []
    estates = list(session.scalars(select(Estate))) if actor.all_estates else list(actor.estates)
    months = {estate.id: periods.previous_month(estate_today(session, estate)) for estate in estates}
    # A loss needs a cost above the revenue, so only estates with a cost entered for that month can have
    # one: one query finds them, and the full review runs for those alone (the home page of a general
    # manager of 100 estates ran 500 queries here on every view; docs/performance.md).
    costed = set(session.scalars(
        select(ConvenienceItemCost.estate_id).distinct()
        .where(ConvenienceItemCost.estate_id.in_(list(months)), ConvenienceItemCost.period.in_(set(months.values())),
               ConvenienceItemCost.cost_fen > 0))) if months else set()
    flagged = []
    for estate in estates:
        if estate.id not in costed:
            continue
        period = months[estate.id]
        flagged += [f"{estate.code} {row['item']}" for row in loss_making_items(session, actor, estate, period)]
    if not flagged:
        return []
    return [Card(title="Loss-making convenience services", title_zh="便民服务亏损项目",
                 value=f"{len(flagged)}: " + ", ".join(flagged[:5]) + (" ..." if len(flagged) > 5 else ""),
                 url="/admin/convenience_items/", order=60, level="warning")]


def home_cards(actor: StaffUser | None) -> list:
    """The cards of ``actor`` on the home page, read in the session the actor was loaded in: orders to
    dispatch (for dispatchers) and last month's loss-making items (for holders of ``convenience.reports``)."""
    session = object_session(actor) if actor is not None else None
    if session is None:
        return []
    cards = []
    if has_permission(session, actor, "convenience.dispatch"):
        waiting = (select(ConvenienceOrder.id).where(ConvenienceOrder.status.in_((OrderStatus.registered,
                                                                                  OrderStatus.prepaid))))
        ids = visible_estate_ids(session, actor)
        if ids is not None:
            waiting = waiting.where(ConvenienceOrder.estate_id.in_(list(ids)))
        n = session.scalar(select(func.count()).select_from(waiting.limit(100).subquery())) or 0
        cards.append(Card(title="Service orders to dispatch", title_zh="待派工便民服务", value="99+" if n > 99 else n,
                          url="/admin/inbox/?kind=transition:convenience.order", order=50,
                          level="warning" if n else "success"))
    return cards + dashboard_cards(session, actor)
