"""Convenience services on the workplace: revenue by month (the profitability review's numbers).

Orders waiting to be dispatched, delivered or visited are workflow to-dos that core's inbox lists;
the home card (loss-making items) lives in :mod:`plugins.convenience.reports`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Chart, InboxItem, Text, has_permission, visible_estate_ids
from core.models import Estate
from plugins.convenience.reports import profitability

MONTHS = 12


def months_to(today: dt.date, n: int = MONTHS) -> list[str]:
    """The ``n`` months (YYYY-MM) ending with ``today``'s, oldest first."""
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def revenue_by_month(session: Session, actor, estate: Estate, today: dt.date) -> list[tuple[str, int, int]]:
    """``(month, revenue_fen, cost_fen)`` per month: the sums of :func:`reports.profitability`'s rows."""
    out = []
    for month in months_to(today):
        rows = profitability(session, actor, estate, month)
        out.append((month, sum(r["revenue_fen"] for r in rows), sum(r["cost_fen"] for r in rows)))
    return out


def charts(session: Session, actor, today: dt.date) -> list[Chart]:
    """Revenue and cost by month per estate, for holders of ``convenience.reports``."""
    if not has_permission(session, actor, "convenience.reports"):
        return []
    ids = visible_estate_ids(session, actor)
    stmt = select(Estate).order_by(Estate.code)
    out = []
    for estate in session.scalars(stmt if ids is None else stmt.where(Estate.id.in_(list(ids)))):
        rows = revenue_by_month(session, actor, estate, today)
        out.append(Chart(id="convenience-revenue-by-month", title=Text("Convenience revenue by month", "便民服务收入(按月)"),
                         estate_id=estate.id, kind="bar", unit="yuan", order=40, category_title=Text("Month", "月份"),
                         categories=tuple(m for m, _r, _c in rows),
                         series=((Text("Revenue ¥", "收入 ¥"), tuple(round(r / 100, 2) for _m, r, _c in rows)),
                                 (Text("Cost ¥", "成本 ¥"), tuple(round(c / 100, 2) for _m, _r, c in rows)))))
    return out


def inbox_items(session: Session, actor, today: dt.date) -> list[InboxItem]:
    """Nothing beyond core's list: open orders wait for workflow transitions."""
    return []
