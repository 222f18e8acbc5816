"""Help requests on the workplace: open emergency calls are to-dos for whoever handles requests
(core already lists the reply deadlines near or overdue)."""

from __future__ import annotations

from core import InboxItem, Text, has_permission, scoped_select
from plugins.help_requests.models import OPEN_STATES, HelpRequest
from plugins.help_requests.panels import category_label


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
