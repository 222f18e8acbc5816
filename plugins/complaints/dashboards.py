"""Complaints on the workplace: the daily stock-take of open complaints (to-dos and a home card) and
the monthly chart by category, computed by ``statistics.monthly_statistics``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, object_session

from core import Card, Chart, InboxItem, Text, has_permission
from plugins.complaints.labels import CATEGORIES
from plugins.complaints.statistics import monthly_statistics, open_complaints, visible_estates

LIMIT = 20


def charts(session: Session, actor, today: dt.date) -> list[Chart]:
    """This month's complaints by category, one chart per estate the actor sees."""
    if not has_permission(session, actor, "complaints.view"):
        return []
    out = []
    for estate in visible_estates(session, actor):
        stats = monthly_statistics(session, actor, today.year, today.month, estate_ids={estate.id})
        out.append(Chart(id="complaints-by-category", title=Text("Complaints this month by category", "本月投诉分类"),
                         estate_id=estate.id, kind="bar", order=40, category_title=Text("Category", "投诉类别"),
                         categories=tuple(Text(en, zh) for en, zh in CATEGORIES.values()),
                         series=((Text("Complaints", "投诉数"), tuple(stats["by_category"][c] for c in CATEGORIES)),)))
    return out


def inbox_items(session: Session, actor, today: dt.date) -> list[InboxItem]:
    """The open complaints, oldest first (每日盘点: every open complaint has a named person on it)."""
    if not has_permission(session, actor, "complaints.handle"):
        return []
    group = Text("Open complaints (daily stock-take)", "未结投诉（每日盘点）")
    return [InboxItem(kind="complaints.open", group=group, title=Text("Follow up the complaint", "跟进投诉"),
                      label=f"{c.number} {c.summary}", estate_id=c.estate_id,
                      url=f"/admin/complaints_complaints/details/?id={c.id}")
            for c in open_complaints(session, actor)[:LIMIT]]


def home_cards(actor) -> list[Card]:
    """Open complaints in the actor's estates."""
    session = object_session(actor) if actor is not None else None
    if session is None or not has_permission(session, actor, "complaints.view"):
        return []
    n = len(open_complaints(session, actor))
    return [Card("Open complaints", "未结投诉", n, "/admin/inbox/?kind=complaints.open", order=45,
                 level="warning" if n else "success")]
