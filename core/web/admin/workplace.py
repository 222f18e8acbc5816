"""The clerk's workplace screens: the search page, the unit's page (房屋档案) and the party's page (业主档案).

* ``/admin/search/?q=3-1-1201`` — grouped results; a unit found by its full label (or the only hit)
  opens directly;
* ``/admin/unit/<id>/`` — the unit's facts, owners and occupants with their history, then every
  plugin's ``wuye_unit_panels`` in plugin order (a failing panel is logged and skipped);
* ``/admin/party/<id>/`` — the person or company, their units, then ``wuye_party_panels``.

A record outside the user's estates is a 404, as on every other page (``get_scoped``).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging

from flask import abort, redirect, request, url_for
from flask_admin import BaseView, expose
from sqlalchemy import case, select
from sqlalchemy.orm import joinedload
from werkzeug.routing import BuildError

from core.clock import estate_today
from core.errors import NotFound, ValidationError
from core.models import Party, Unit, UnitRelation
from core.scoping import get_scoped, scoped_select
from core.security.grants import has_permission
from core.services.search import shown_phone
from core.text import Text
from core.web.admin.pages import StaffPage
from core.web.admin.workplace_search import RELATION_LABELS, run_search
from core.web.context import actor, db, wuye
from core.web.i18n import Bilingual, pick, prettify
from core.web.panels import Flag, Link, Money, Panel

log = logging.getLogger(__name__)
MAX_ID = 2**31 - 1  # ids beyond a 32-bit key are not found (PostgreSQL would refuse the comparison)

UNIT_FACTS = Text("Unit", "房屋信息")
RELATIONS_SHOWN = 50


# --- rendering panel values -----------------------------------------------------------------
def link_url(link: Link) -> str:
    """Where a :class:`Link` leads, or "" when its screen is not there (plugin disabled)."""
    try:
        if link.page == "unit":
            return url_for("unit_page.page", id=link.record_id)
        if link.page == "party":
            return url_for("party_page.page", id=link.record_id)
        if link.view and link.create:
            return url_for(f"{link.view}.create_view", **link.args)
        if link.view and link.record_id is not None:
            return url_for(f"{link.view}.details_view", id=link.record_id)
    except BuildError:
        return ""
    return ""


def enum_text(value) -> str:
    """An enum member in the user's language: its class's ``__labels__`` if any, else prettified."""
    if isinstance(value, enum.Enum):
        labels = getattr(type(value), "__labels__", None) or {}
        pair = labels.get(value.value) if isinstance(labels, dict) else None
        if pair:
            return pick(*pair) if isinstance(pair, tuple | list) else str(pair)
        return prettify(str(value.value))
    return str(value)


def cell(value) -> dict:
    """A panel value as the template shows it: ``{"text", "url", "level", "money"}``."""
    if isinstance(value, Link):
        return {"text": str(value.text), "url": link_url(value), "level": value.level}
    if isinstance(value, Flag):
        inner = cell(value.text)
        return {**inner, "level": value.level, "flag": True}
    if isinstance(value, Money):
        return {"text": str(value), "money": True}
    if isinstance(value, dt.datetime):
        return {"text": value.strftime("%Y-%m-%d %H:%M")}
    if isinstance(value, dt.date):
        return {"text": value.isoformat()}
    if value is None:
        return {"text": ""}
    if isinstance(value, enum.Enum):
        return {"text": enum_text(value)}
    return {"text": str(value)}


def _title(panel: Panel) -> str:
    if isinstance(panel.title, Text) and not panel.title_zh:
        return str(panel.title)
    en = panel.title.en if isinstance(panel.title, Text) else str(panel.title)
    return pick(en, panel.title_zh)


def shown_panel(panel: Panel) -> dict:
    return {"key": panel.key or "panel", "title": _title(panel),
            "facts": [(str(label), cell(v)) for label, v in panel.facts],
            "columns": [str(c) for c in panel.columns],
            "rows": [[cell(c) for c in row] for row in panel.rows],
            "actions": [{"text": str(a.text), "url": link_url(a)} for a in panel.actions if link_url(a)],
            "empty": str(panel.empty) if panel.empty else ""}


def plugin_panels(wuye_instance, hook: str, session, user, **target) -> list[tuple[str, Panel]]:
    """(plugin, panel) from every plugin's ``hook`` in plugin order; a failing plugin is logged and skipped."""
    rank = {name: i for i, name in enumerate(wuye_instance.order)}
    impls = sorted(getattr(wuye_instance.hook, hook).get_hookimpls(), key=lambda i: rank.get(i.plugin_name, 10**6))
    out: list[tuple[str, Panel]] = []
    for impl in impls:
        try:
            panels = impl.function(session=session, actor=user, **target)
        except Exception:  # a broken panel must not take the unit page down
            log.exception("%s of plugin %s failed", hook, impl.plugin_name)
            continue
        found = sorted((p for p in (panels or ()) if isinstance(p, Panel)), key=lambda p: p.order)
        out.extend((impl.plugin_name, p) for p in found)
    return out


# --- what the pages show --------------------------------------------------------------------
def unit_facts(unit: Unit) -> list[tuple[str, str]]:
    estate = unit.estate
    building = unit.building
    return [
        (pick("Estate", "小区"), estate.name if estate else ""),
        (pick("Building", "楼栋"), str(building) if building else ""),
        (pick("Entrance", "单元"), unit.entrance or "—"),
        (pick("Floor", "楼层"), str(unit.floor)),
        (pick("Room", "房号"), unit.room_no),
        (pick("Type", "房屋类型"), enum_text(unit.unit_type)),
        (pick("Built area", "建筑面积"), f"{unit.built_area} m²"),
        (pick("Interior area", "套内面积"), f"{unit.interior_area} m²"),
        (pick("Status", "房屋状态"), enum_text(unit.status)),
        (pick("Delivered on", "交房日期"), unit.delivered_on.isoformat() if unit.delivered_on else "—"),
    ]


def relation_rows(session, user, relations, *, today: dt.date, show: str) -> list[dict]:
    """Rows of owners/occupants (``show="party"``) or of a party's units (``show="unit"``)."""
    rows = []
    for r in relations:
        current = r.start_on <= today and (r.end_on is None or r.end_on >= today)
        row = {"kind": str(RELATION_LABELS.get(r.kind, enum_text(r.kind))), "start": r.start_on.isoformat(),
               "end": r.end_on.isoformat() if r.end_on else "", "current": current, "share": r.share,
               "relation_to_owner": r.relation_to_owner}
        if show == "party":
            row.update(text=r.party.name, url=url_for("party_page.page", id=r.party_id),
                       phone=shown_phone(session, user, r.party.phone))
        else:
            row.update(text=r.unit.label, url=url_for("unit_page.page", id=r.unit_id),
                       estate=r.unit.estate.name if r.unit.estate else "")
        rows.append(row)
    return rows


def _current_first():
    return case((UnitRelation.end_on.is_(None), 0), else_=1)


class _Hidden(StaffPage, BaseView):
    """Pages reached by links and the search box, not from the menu."""

    def is_visible(self) -> bool:
        return False


class SearchView(_Hidden):
    @expose("/")
    def index(self):
        q = request.args.get("q", "")
        error, result = "", None
        if q.strip():
            try:
                result = run_search(db(), actor(), q, wuye())
            except ValidationError as exc:
                error = next(iter(exc.errors.values()))[0] if isinstance(exc.errors, dict) else str(exc)
        if result is not None:
            direct = result.direct()
            if direct is not None:
                url = hit_url(direct)
                if url:
                    return redirect(url)
        groups = [] if result is None else [
            {"title": str(title), "hits": [{"kind": str(h.kind), "title": h.title, "subtitle": h.subtitle,
                                            "url": hit_url(h)} for h in hits]} for title, hits in result.groups]
        return self.render("wuye/search.html", q=q.strip(), groups=groups, error=str(error) if error else "",
                           searched=result is not None)


def hit_url(hit) -> str:
    return link_url(Link(text=hit.title, view=hit.view, record_id=hit.record_id, page=hit.page))


class UnitPageView(_Hidden):
    permission = "core.units.view"

    @expose("/")
    def index(self):
        return redirect(url_for("core_units.index_view"))

    @expose("/<int:id>/")
    def page(self, id: int):
        session, user = db(), actor()
        if not (0 < id <= MAX_ID):
            abort(404)
        try:
            unit = get_scoped(session, user, Unit, id, options=(joinedload(Unit.building), joinedload(Unit.estate)))
        except NotFound:
            abort(404)
        today = estate_today(session, unit.estate)  # the estate's day, and a pinned business date wins
        relations = []
        if has_permission(session, user, "core.parties.view"):
            relations = list(session.scalars(
                select(UnitRelation).options(joinedload(UnitRelation.party)).where(UnitRelation.unit_id == unit.id)
                .order_by(_current_first(), UnitRelation.kind, UnitRelation.start_on.desc()).limit(RELATIONS_SHOWN)))
        from core.web.admin.intake import unit_panel

        desk = unit_panel(session, user, unit)  # the reception desk's records of the unit, first
        panels = [shown_panel(p) for p in ([desk] if desk else [])]
        panels += [shown_panel(p) for _plugin, p in plugin_panels(wuye(), "wuye_unit_panels", session, user, unit=unit)]
        return self.render("wuye/unit.html", unit=unit, facts=unit_facts(unit),
                           relations=relation_rows(session, user, relations, today=today, show="party"),
                           panels=panels, edit_url=url_for("core_units.details_view", id=unit.id))


class PartyPageView(_Hidden):
    permission = "core.parties.view"

    @expose("/")
    def index(self):
        return redirect(url_for("core_parties.index_view"))

    @expose("/<int:id>/")
    def page(self, id: int):
        session, user = db(), actor()
        if not (0 < id <= MAX_ID):
            abort(404)
        try:
            party = get_scoped(session, user, Party, id)
        except NotFound:
            abort(404)
        today = estate_today(session)  # the company's day (a party may hold units in several estates)
        relations = list(session.scalars(
            scoped_select(session, user, UnitRelation)
            .options(joinedload(UnitRelation.unit).joinedload(Unit.building))
            .where(UnitRelation.party_id == party.id)
            .order_by(_current_first(), UnitRelation.start_on.desc()).limit(RELATIONS_SHOWN)))
        facts = [(pick("Kind", "类别"), enum_text(party.kind)),
                 (pick("Phone", "电话"), shown_phone(session, user, party.phone) or "—"),
                 (pick("Email", "邮箱"), party.email or "—"), (pick("Address", "地址"), party.address or "—")]
        panels = [shown_panel(p) for _plugin, p in plugin_panels(wuye(), "wuye_party_panels", session, user,
                                                                 party=party)]
        return self.render("wuye/party.html", party=party, facts=facts,
                           relations=relation_rows(session, user, relations, today=today, show="unit"),
                           panels=panels, edit_url=url_for("core_parties.details_view", id=party.id))


def add_workplace(admin) -> None:
    """Register the search, unit and party pages on the admin (called by ``build_admin``)."""
    admin.add_view(SearchView(name=Bilingual("Search", "搜索"), endpoint="workplace_search", url="/admin/search"))
    admin.add_view(UnitPageView(name=Bilingual("Unit file", "房屋档案"), endpoint="unit_page", url="/admin/unit"))
    admin.add_view(PartyPageView(name=Bilingual("Owner file", "业主档案"), endpoint="party_page", url="/admin/party"))
    link_lists(admin)


def link_lists(admin) -> None:
    """Each row of the units list and of the owners list gets a button opening the unit's / party's page."""
    from flask_admin.model.template import LinkRowAction

    pages = {"core_units": ("fa fa-home", "unit_page", Bilingual("Unit file", "房屋档案")),
             "core_parties": ("fa fa-id-card", "party_page", Bilingual("Owner file", "业主档案"))}
    for view in admin._views:
        page = pages.get(getattr(view, "endpoint", ""))
        if page is not None:
            icon, endpoint, title = page
            action = LinkRowAction(icon, _row_url(endpoint), title)
            view.column_extra_row_actions = [*(view.column_extra_row_actions or ()), action]


def _row_url(endpoint: str):
    return lambda _action, row_id, _row: url_for(f"{endpoint}.page", id=row_id)
