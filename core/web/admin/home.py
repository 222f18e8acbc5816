"""The staff home page: what needs doing, per role.

Cards come from core (the to-do count, what is overdue, the property registers) and every plugin
(``wuye_dashboard_cards``: applications to review, keys overdue, arrears to follow up, today's
payments...), followed by the user's most urgent to-dos and links to the inbox and the dashboards.
"""

from __future__ import annotations

import logging

from flask import url_for
from flask_admin import AdminIndexView, expose
from sqlalchemy import func, select

from core.models import Estate, Unit, UnitStatus
from core.security.grants import has_permission
from core.web.admin.pages import StaffPage
from core.web.context import actor, db, wuye
from core.web.dashboard import Card
from core.web.i18n import pick
from core.web.integration import scope

log = logging.getLogger(__name__)


REGISTER_CAP = 10_000  # the register cards count up to this, then say "10,000+"


def _capped_count(session, ids_stmt) -> str:
    """How many rows ``ids_stmt`` selects, counted no further than :data:`REGISTER_CAP`.

    The home page is drawn on every visit; counting every unit of a million-unit company there took
    70-150 ms on PostgreSQL (a full scan) for a card nobody acts on. The lists give exact numbers.
    """
    n = session.scalar(select(func.count()).select_from(ids_stmt.limit(REGISTER_CAP + 1).subquery())) or 0
    return f"{REGISTER_CAP:,}+" if n > REGISTER_CAP else f"{n:,}"


def core_cards(session, user) -> list[Card]:
    from core.web.admin.inbox import badge

    box = badge()
    cards = [Card("To-do", "待办", box["text"], url_for("inbox.index"), order=1,
                  level="warning" if box["n"] else "success")]
    if box["overdue"]:
        cards.append(Card("Overdue", "已超时", box["overdue"], url_for("inbox.index"), order=2, level="danger"))
    if has_permission(session, user, "core.estates.view"):
        n = session.scalar(scope(select(func.count(Estate.id)), user, Estate))
        cards.append(Card("Estates", "小区/项目", n, url_for("core_estates.index_view"), order=80))
    if has_permission(session, user, "core.units.view"):
        n = _capped_count(session, scope(select(Unit.id), user, Unit))
        vacant = _capped_count(session, scope(select(Unit.id).where(Unit.status == UnitStatus.vacant), user, Unit))
        cards.append(Card("Units", "房屋", n, url_for("core_units.index_view"), order=81))
        cards.append(Card("Vacant units", "空置房屋", vacant,
                          url_for("core_units.index_view", flt0_status_equals="vacant"), order=82, level="warning"))
    return cards


def plugin_cards(wuye_instance, user) -> list[Card]:
    """Each plugin's cards; a plugin whose hook fails is logged and skipped, never breaking the page."""
    rank = {name: i for i, name in enumerate(["core", *wuye_instance.order])}
    impls = sorted(wuye_instance.hook.wuye_dashboard_cards.get_hookimpls(),
                   key=lambda i: rank.get(i.plugin_name, 10**6))
    cards: list[Card] = []
    for impl in impls:
        try:
            result = impl.function(**{k: user for k in impl.argnames if k == "actor"})
        except Exception:  # a broken card must not take the home page down
            log.exception("wuye_dashboard_cards of plugin %s failed", impl.plugin_name)
            continue
        cards.extend(c for c in (result or ()) if isinstance(c, Card))
    return cards


class HomeView(StaffPage, AdminIndexView):
    @expose("/")
    def index(self):
        from core.web.admin.inbox import current_inbox

        user = actor()
        current_inbox()  # read once with its rows: the cards, the top bar and the to-do list share it
        cards = core_cards(db(), user) + plugin_cards(wuye(), user)
        cards.sort(key=lambda c: (c.order, c.title))
        shown = [{"title": pick(c.title, c.title_zh), "value": c.value, "url": c.url,
                  "level": c.level if c.level in ("info", "success", "warning", "danger") else "info"}
                 for c in cards]
        from core.web.admin.inbox import rows

        top = current_inbox()
        top_rows = [dict(r, group=g["title"]) for g in rows(top) for r in g["rows"]]
        top_rows.sort(key=lambda r: (not r["overdue"], r["due"] == "", r["due"]))
        # the desk's first move of the day: register a call or visit (来电来访登记), one click from home
        desk = url_for("core_intakes.create_view") if has_permission(db(), user, "core.intake.register") else ""
        return self.render("wuye/home.html", cards=shown, todos=top_rows[:8], more=max(0, top.total - 8),
                           desk_url=desk)
