"""Repairs on the dashboards page: per technician, orders received in the last 30 days and how many
met every time limit (on time), one chart per estate; its Excel export is the core's
(``/admin/dashboards/repairs-by-technician.xlsx?estate=<id>``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import Chart, Text, day_bounds, has_permission, visible_estate_ids
from core.models import Estate
from plugins.repairs.statistics import statistics

DAYS = 30


def charts(session, actor, today: dt.date) -> list[Chart]:
    """Per technician: orders and orders on time over the ``DAYS`` days up to ``today``."""
    if not has_permission(session, actor, "repairs.view"):
        return []
    ids = visible_estate_ids(session, actor)
    stmt = select(Estate).order_by(Estate.code)
    out = []
    for estate in session.scalars(stmt if ids is None else stmt.where(Estate.id.in_(list(ids)))):
        since = day_bounds(estate, today - dt.timedelta(days=DAYS - 1))[0]
        until = day_bounds(estate, today)[1]
        rows = statistics(session, actor, since=since, until=until, estate_id=estate.id)["technicians"]
        if not rows:
            continue
        out.append(Chart(id="repairs-by-technician", title=Text("Repairs per technician (30 days)", "维修人员工单（近30天）"),
                         estate_id=estate.id, kind="bar", order=30, category_title=Text("Technician", "维修人员"),
                         categories=tuple(r["label"] if r["label"] != "—" else Text("Unassigned", "未派工")
                                          for r in rows),
                         series=((Text("Orders", "工单数"), tuple(r["count"] for r in rows)),
                                 (Text("On time", "及时数"), tuple(r["on_time"] for r in rows)))))
    return out
