"""Home-page cards, dashboard charts and to-dos (no Flask imported): what the dashboard hooks return.

``wuye_dashboard_cards(actor)`` returns :class:`Card`; ``wuye_dashboard_charts(session, actor, today)``
returns :class:`Chart`; ``wuye_inbox_items(session, actor, today)`` returns :class:`InboxItem` (defined
beside the inbox service, which the web layer sits above).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.services.inbox import InboxItem

__all__ = ["Card", "Chart", "InboxItem"]


@dataclass(frozen=True)
class Card:
    """One card on the staff home page.

    ``title`` is English and ``title_zh`` Simplified Chinese (shown per the user's language);
    ``value`` is what the card shows (a count, an amount already formatted); ``url`` where a click
    leads (may be empty); ``order`` sorts cards (then the title); ``level`` is one of ``info``,
    ``success``, ``warning``, ``danger`` and colours the card.
    """

    title: str
    title_zh: str = ""
    value: object = ""
    url: str = ""
    order: int = 100
    level: str = "info"


KINDS = ("bar", "line", "pie", "stacked")


@dataclass(frozen=True)
class Chart:
    """One chart (图表) on the dashboards page, for one estate, with the data behind it.

    ``id`` is stable and URL-safe (``billing-collection-by-month``): the page's anchor, the Excel
    export ``/admin/dashboards/<id>.xlsx?estate=<estate_id>`` and ``/api/v1/dashboards/<id>``.
    ``title``, ``category_title`` and each series name are ``core.Text`` (both languages).
    ``categories`` are the x-axis labels (months, buildings, states...); ``series`` is a tuple of
    ``(name, values)`` pairs, one value per category. ``unit`` is ``"%"``, ``"yuan"`` or ``""``
    (a count). ``kind`` is one of :data:`KINDS`. ``estate_id`` names the estate the numbers are for.
    """

    id: str
    title: str
    categories: tuple
    series: tuple
    estate_id: int | None = None
    category_title: str = ""
    kind: str = "bar"
    unit: str = ""
    order: int = 100
    note: str = ""

    def rows(self) -> list[list]:
        """The data as a table: one row per category, the category then each series' value."""
        return [[category, *(values[i] for _name, values in self.series)]
                for i, category in enumerate(self.categories)]

    def as_dict(self) -> dict:
        """JSON-ready (the API and the page's ECharts options); texts in the current language."""
        return {"id": self.id, "title": str(self.title), "estate_id": self.estate_id, "kind": self.kind,
                "unit": self.unit, "category_title": str(self.category_title), "note": str(self.note),
                "categories": [str(c) for c in self.categories],
                "series": [{"name": str(name), "values": [_plain(v) for v in values]} for name, values in self.series]}


def _plain(value):
    """Decimals become floats for JSON (rates are 2-place percentages, amounts yuan with 2 places)."""
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


class _InOneEstate:
    """``actor`` seen as working for ``estate`` only (it must be one of theirs): narrows, never widens.

    The dashboards page shows one estate; plugins compute charts for every estate
    ``core.visible_estate_ids`` gives, so handing them this view spares the other estates' queries.
    """

    def __init__(self, actor, estate):
        self._actor, self.estates = actor, [estate]

    all_estates = False

    def __getattr__(self, name):
        return getattr(self._actor, name)

    def __str__(self) -> str:
        return str(self._actor)


def collect_charts(wuye, session, actor, today, *, estate=None) -> list[Chart]:
    """Every plugin's charts for ``actor`` on business date ``today``, sorted by ``order``.

    ``estate`` (one the actor works for) limits the charts to it. A plugin whose hook fails is logged
    and skipped (the page shows the others); a chart for an estate the actor does not work for is
    dropped, whatever the plugin returned.
    """
    import logging

    from core.scoping import visible_estate_ids

    estates = visible_estate_ids(session, actor)
    if estate is not None:
        if estates is not None and estate.id not in estates:
            return []
        actor, estates = _InOneEstate(actor, estate), {estate.id}
    found: list[Chart] = []
    for impl in wuye.hook.wuye_dashboard_charts.get_hookimpls():
        try:
            result = impl.function(session=session, actor=actor, today=today)
        except Exception:  # one broken chart must not take the dashboards down
            logging.getLogger(__name__).exception("wuye_dashboard_charts of plugin %s failed", impl.plugin_name)
            continue
        found += [c for c in result or () if isinstance(c, Chart)
                  and (estates is None or c.estate_id is None or c.estate_id in estates)]
    return sorted(found, key=lambda c: (c.order, c.id))


def chart_xlsx(chart: Chart, estate_label: str = "") -> bytes:
    """The chart's data as an Excel workbook: a title row, translated headers, one row per category."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = chart.id[:31]
    sheet.append([str(chart.title) + (f" · {estate_label}" if estate_label else "")])
    sheet["A1"].font = Font(bold=True)
    sheet.append([str(chart.category_title) or "", *(str(name) for name, _values in chart.series)])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in chart.rows():
        sheet.append([str(row[0]), *(_plain(v) for v in row[1:])])
    sheet.column_dimensions["A"].width = 24
    out = BytesIO()
    book.save(out)
    return out.getvalue()
