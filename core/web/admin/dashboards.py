"""Dashboards (数据看板) ``/admin/dashboards/``: every plugin's charts for one of the user's estates.

Charts are drawn by Apache ECharts, served from ``core/static/wuye/vendor/echarts`` (never the
internet); ``/admin/dashboards/<chart-id>.xlsx?estate=<id>`` exports a chart's data to Excel.
"""

from __future__ import annotations

import json

from flask import Response, abort, request
from flask_admin import BaseView, expose
from sqlalchemy import select

from core.clock import estate_today
from core.models import Estate
from core.scoping import visible_estate_ids
from core.web.admin.pages import StaffPage
from core.web.context import actor, db, wuye
from core.web.dashboard import Chart, chart_xlsx, collect_charts
from core.web.i18n import Bilingual


def user_estates() -> list[Estate]:
    """The estates the signed-in user works for, by code: the choices of the estate selector."""
    ids = visible_estate_ids(db(), actor())
    stmt = select(Estate).order_by(Estate.code)
    return list(db().scalars(stmt if ids is None else stmt.where(Estate.id.in_(list(ids)))))


def chosen_estate(estates: list[Estate]) -> Estate | None:
    """The estate of ``?estate=<id>`` if the user works for it (404 otherwise), else the first one."""
    raw = request.args.get("estate")
    if raw in (None, ""):
        return estates[0] if estates else None
    try:
        wanted = int(raw)
    except ValueError:
        abort(404)
    for estate in estates:
        if estate.id == wanted:
            return estate
    abort(404)  # another estate's numbers are never shown, nor is their existence confirmed


def charts_for(estate: Estate | None) -> list[Chart]:
    if estate is None:
        return []
    today = estate_today(db(), estate)
    return [c for c in collect_charts(wuye(), db(), actor(), today, estate=estate) if c.estate_id in (None, estate.id)]


class DashboardsView(StaffPage, BaseView):
    """数据看板: collection rate, arrears ageing, renovation pipeline, keys, convenience revenue."""

    def __init__(self):
        super().__init__(name=Bilingual("Dashboards", "数据看板"), endpoint="dashboards", url="/admin/dashboards")

    @expose("/")
    def index(self):
        estates = user_estates()
        estate = chosen_estate(estates)
        charts = charts_for(estate)
        data = [c.as_dict() for c in charts]
        return self.render("wuye/dashboards.html", estates=estates, estate=estate, charts=data,
                           charts_json=json.dumps(data, ensure_ascii=False),
                           today=estate_today(db(), estate) if estate else None)

    @expose("/<chart_id>.xlsx")
    def export(self, chart_id: str):
        estates = user_estates()
        estate = chosen_estate(estates)
        chart = next((c for c in charts_for(estate) if c.id == chart_id), None)
        if chart is None:
            abort(404)
        body = chart_xlsx(chart, f"{estate.code} {estate.name}" if estate else "")
        name = f"{chart.id}-{estate.code if estate else 'all'}.xlsx"
        return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
