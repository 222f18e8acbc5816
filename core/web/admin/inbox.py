"""The to-do inbox page (待办) ``/admin/inbox/`` and the top bar's count.

Rows are grouped by kind, overdue first, each one click from the record's details page; due times
are shown in the estate's local time.
"""

from __future__ import annotations

from flask import g, request, url_for
from flask_admin import BaseView, expose
from sqlalchemy import select
from werkzeug.routing import BuildError

from core.clock import estate_now, estate_today
from core.services.inbox import Inbox, InboxItem, inbox_for, shown_count
from core.web.admin.pages import StaffPage
from core.web.context import actor, db
from core.web.i18n import Bilingual, pick


def item_url(item: InboxItem) -> str:
    """Where a click on ``item`` leads: its own URL, else the details page of its record's screen."""
    if item.url:
        return item.url
    if item.view and item.record_id is not None:
        try:
            return url_for(f"{item.view}.details_view", id=item.record_id)
        except BuildError:  # the screen is not registered (plugin disabled)
            return ""
    return ""


def due_text(item: InboxItem) -> str:
    if item.due_at is not None:
        return estate_now(db(), item.estate_id, now=item.due_at).strftime("%Y-%m-%d %H:%M")
    return item.due_on.isoformat() if item.due_on else ""


def current_inbox(rows: bool = True) -> Inbox:
    """The signed-in user's inbox, computed once per request (the top bar and the pages share it).

    ``rows=False`` (the top bar of any other page) only counts; a full inbox serves both.
    """
    box = g.get("wuye_inbox")
    if box is None or (rows and not g.get("wuye_inbox_rows")):
        box = g.wuye_inbox = inbox_for(db(), actor(), estate_today(db()), rows=rows)
        g.wuye_inbox_rows = rows
    return box


def badge() -> dict:
    """``{"n": total, "text": "12" or "99+", "overdue": n}`` for the top bar (counts only)."""
    box = current_inbox(rows=False)
    capped = any(c for _n, c in box.counts.values())
    return {"n": box.total, "text": shown_count(box.total, capped), "overdue": box.overdue,
            "label": pick("To-do", "待办")}


def _estate_names(box: Inbox) -> dict[int, str]:
    """Names of the estates the items come from, when there are several: numbers restart per estate
    (two estates each have a KL-2026-000006), so a clerk who sees both needs to know which is which."""
    ids = {item.estate_id for item in box.items if item.estate_id is not None}
    if len(ids) < 2:
        return {}
    from core.models import Estate

    return dict(db().execute(select(Estate.id, Estate.name).where(Estate.id.in_(ids))).all())


def rows(box: Inbox, kind: str | None = None) -> list[dict]:
    """The groups of ``box`` (one kind when given), each with its shown count and its rows."""
    groups: dict[str, dict] = {}
    estates = _estate_names(box)
    for item in box.items:
        if kind and item.kind != kind:
            continue
        n, capped = box.counts.get(item.kind, (0, False))
        group = groups.setdefault(item.kind, {"kind": item.kind, "title": str(box.groups.get(item.kind, item.kind)),
                                              "count": shown_count(n, capped), "rows": [], "overdue": 0})
        group["rows"].append({"title": str(item.title), "label": str(item.label), "url": item_url(item),
                              "state": str(item.state), "due": due_text(item), "overdue": item.overdue,
                              "count": item.count, "estate": estates.get(item.estate_id, "")})
        group["overdue"] += 1 if item.overdue else 0
    return sorted(groups.values(), key=lambda grp: (-grp["overdue"], grp["title"]))


class InboxView(StaffPage, BaseView):
    """待办: what waits for the signed-in user."""

    def __init__(self):
        super().__init__(name=Bilingual("To-do", "待办"), endpoint="inbox", url="/admin/inbox")

    def is_visible(self) -> bool:
        return False  # reached from the top bar's badge and the home page

    @expose("/")
    def index(self):
        kind = request.args.get("kind") or None
        box = current_inbox()
        return self.render("wuye/inbox.html", groups=rows(box, kind), kind=kind, total=badge()["text"])
