"""Convenience services (便民服务) on the unit's page, the party's page and in the search.

The unit panel lists the unit's recent orders with their status and amount, and offers "book a
service" (预约服务). The search finds orders by number (``CV-2026-000007``).
"""

from __future__ import annotations

from sqlalchemy import func

from core import Panel, SearchHit, Text, get_workflow, has_permission, scoped_select
from plugins.convenience.models import ConvenienceOrder

VIEW = "convenience.view"
SHOWN = 6
COLUMNS = [Text("Order", "服务单号"), Text("Service", "服务项目"), Text("Status", "状态"), Text("Amount", "金额")]


def status_label(session, value) -> str:
    value = getattr(value, "value", value)
    for state in get_workflow(session, "convenience.order").states:
        if state.name == value:
            return Text(state.label or state.name, state.label_zh or state.label or state.name)
    return value


def _item(order) -> str:
    item = order.item
    return Text(item.name, item.name_zh or item.name) if item is not None else ""


def _rows(session, orders) -> list[list]:
    return [[Panel.link(o.number, "convenience_orders", o.id), _item(o), status_label(session, o.status),
             Panel.money(o.amount_fen)] for o in orders]


def unit_panels(session, actor, unit) -> list[Panel]:
    if not has_permission(session, actor, VIEW):
        return []
    orders = list(session.scalars(scoped_select(session, actor, ConvenienceOrder)
                                  .where(ConvenienceOrder.unit_id == unit.id)
                                  .order_by(ConvenienceOrder.id.desc()).limit(SHOWN)))
    actions = []
    if has_permission(session, actor, "convenience.order"):
        actions.append(Panel.action(Text("Book a service", "预约便民服务"), "convenience_orders", unit_id=unit.id))
    return [Panel(title="Convenience services", title_zh="便民服务", key="convenience", columns=COLUMNS,
                  rows=_rows(session, orders), actions=actions,
                  empty=Text("No service orders.", "暂无便民服务单。"), order=40)]


def party_panels(session, actor, party) -> list[Panel]:
    if not has_permission(session, actor, VIEW):
        return []
    orders = list(session.scalars(scoped_select(session, actor, ConvenienceOrder)
                                  .where(ConvenienceOrder.customer_id == party.id)
                                  .order_by(ConvenienceOrder.id.desc()).limit(SHOWN)))
    if not orders:
        return []
    return [Panel(title="Convenience services", title_zh="便民服务", key="convenience", columns=COLUMNS,
                  rows=_rows(session, orders), order=40)]


def search(session, actor, query) -> list[SearchHit]:
    """Orders by number prefix (CV-)."""
    q = query.strip().upper()
    if not q.startswith("CV") or not has_permission(session, actor, VIEW):
        return []
    like = q.replace("%", "").replace("_", "") + "%"
    stmt = (scoped_select(session, actor, ConvenienceOrder).where(func.upper(ConvenienceOrder.number).like(like))
            .order_by(ConvenienceOrder.number).limit(10))
    return [SearchHit(kind=Text("Service order", "便民服务单"), title=o.number,
                      subtitle=f"{o.unit.label} · {_item(o)} · {status_label(session, o.status)}",
                      view="convenience_orders", record_id=o.id, rank=0 if o.number == q else 5)
            for o in session.scalars(stmt)]
