"""Help requests on the workplace: open emergency calls are to-dos for whoever handles requests
(core already lists the reply deadlines near or overdue)."""

from __future__ import annotations

from sqlalchemy import select

from core import Chart, InboxItem, Text, has_permission, scoped_select, visible_estate_ids
from core.models import Estate
from plugins.help_requests.models import CATEGORIES, OPEN_STATES, HelpRequest
from plugins.help_requests.panels import category_label
from plugins.help_requests.statistics import monthly_counts


def _label(r: HelpRequest) -> Text:
    where = r.unit.label if r.unit is not None else r.location
    category = category_label(r.category)
    return Text(f"{r.number} {category.en} {where}", f"{r.number} {category.zh} {where}")


def inbox_items(session, actor, today) -> list[InboxItem]:
    if not has_permission(session, actor, "help_requests.handle"):
        return []
    stmt = (scoped_select(session, actor, HelpRequest)
            .where(HelpRequest.kind == "emergency", HelpRequest.status.in_(OPEN_STATES))
            .order_by(HelpRequest.received_at).limit(20))
    return [InboxItem(kind="help_requests.emergency", group=Text("Open emergency calls", "未结紧急呼叫"),
                      title=Text("Handle the emergency", "处置紧急呼叫"),
                      label=_label(r),
                      due_at=r.reply_due_at, overdue=False, estate_id=r.estate_id,
                      view="help_requests_requests", record_id=r.id)
            for r in session.scalars(stmt)]


def charts(session, actor, today) -> list[Chart]:
    """This month's requests by category and those replied within the limit, per estate."""
    if not has_permission(session, actor, "help_requests.view"):
        return []
    ids = visible_estate_ids(session, actor)
    stmt = select(Estate).order_by(Estate.code)
    estates = session.scalars(stmt if ids is None else stmt.where(Estate.id.in_(list(ids))))
    out = []
    for estate in estates:
        counts = monthly_counts(session, estate, today)
        out.append(Chart(id="help-requests-by-category", title=Text("Help requests this month", "本月求助统计"),
                         estate_id=estate.id, kind="bar", order=60, category_title=Text("Category", "类别"),
                         categories=tuple(Text(v[1], v[2]) for v in CATEGORIES.values()),
                         series=((Text("Received", "受理"), tuple(counts[c][0] for c in CATEGORIES)),
                                 (Text("Replied in time", "按时答复"), tuple(counts[c][1] for c in CATEGORIES)))))
    return out
