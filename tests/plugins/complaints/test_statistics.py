"""Monthly statistics by category, department and estate (``statistics.py``), the chart that shows
them, the open-complaint stock-take (inbox and card), against hand-counted cases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core import ValidationError, apply
from core.models import Unit
from plugins.complaints import services
from plugins.complaints.dashboards import charts, home_cards, inbox_items
from plugins.complaints.labels import CATEGORIES
from tests.plugins.complaints.conftest import SH

LATER = dt.datetime(2026, 4, 30, tzinfo=dt.UTC)


@pytest.fixture
def gm(staff, estate, other_estate):
    return staff("general_manager", estates=[estate, other_estate])


@pytest.fixture
def month(session, gm, estate, other_estate, units):
    """March 2026 (Beijing time) in CA and CB, counted by hand in the tests below."""
    cb_unit = session.scalar(select(Unit).where(Unit.estate_id == other_estate.id).limit(1))

    def make(unit, when, summary, ack=None, invalid=False):
        c = services.register_complaint(session, gm, {"unit_id": unit.id, "complainant_name": "业主",
                                                      "summary": summary, "received_at": when}, now=LATER)
        if ack:
            apply(session, c, "acknowledge", gm, category=ack[0], department=ack[1])
        if invalid:
            apply(session, c, "close_invalid", gm, comment="非物业责任")
        return c

    return {
        "c1": make(units[0], dt.datetime(2026, 3, 1, 0, 30, tzinfo=SH), "1日凌晨 (UTC still February)",
                   ("repairs", "engineering")),
        "c2": make(units[1], dt.datetime(2026, 3, 15, 9, tzinfo=SH), "态度", ("service_attitude", "customer_service")),
        "c3": make(units[2], dt.datetime(2026, 3, 31, 23, 30, tzinfo=SH), "月末", ("repairs", "engineering")),
        "c4": make(units[0], dt.datetime(2026, 4, 1, 0, 10, tzinfo=SH), "April's", ("fees", "finance")),
        "c5": make(units[1], dt.datetime(2026, 2, 28, 23, 50, tzinfo=SH), "February's", ("fees", "finance")),
        "c6": make(units[2], dt.datetime(2026, 3, 10, 10, tzinfo=SH), "无效", invalid=True),
        "c7": make(cb_unit, dt.datetime(2026, 3, 5, 10, tzinfo=SH), "CB 停车", ("parking", "security")),
    }


def test_march_counted_by_category_department_and_estate(session, gm, month):
    stats = services.monthly_statistics(session, gm, 2026, 3)
    assert (stats["total"], stats["valid"], stats["invalid"], stats["open"]) == (5, 4, 1, 4)
    assert {k: v for k, v in stats["by_category"].items() if v} == {"repairs": 2, "service_attitude": 1,
                                                                     "other": 1, "parking": 1}
    assert set(stats["by_category"]) == set(CATEGORIES)  # zeros listed too
    assert {k: v for k, v in stats["by_department"].items() if v} == {"engineering": 2, "customer_service": 1,
                                                                       "": 1, "security": 1}
    assert stats["by_estate"] == {"CA": 4, "CB": 1}


def test_staff_see_only_their_estates_figures(session, month, supervisor, staff, other_estate):
    assert services.monthly_statistics(session, supervisor, 2026, 3)["by_estate"] == {"CA": 4}
    other = staff("cs_supervisor", estates=[other_estate])
    stats = services.monthly_statistics(session, other, 2026, 3)
    assert stats["total"] == 1 and stats["by_category"]["parking"] == 1
    assert services.monthly_statistics(session, staff("guard", estates=[other_estate]), 2026, 3) == {}


def test_a_bad_month_names_the_field(session, gm):
    with pytest.raises(ValidationError) as err:
        services.monthly_statistics(session, gm, 2026, 13)
    assert "month" in err.value.errors


def test_the_chart_shows_the_same_figures(session, gm, month, estate):
    [chart] = [c for c in charts(session, gm, dt.date(2026, 3, 20)) if c.estate_id == estate.id]
    by = services.monthly_statistics(session, gm, 2026, 3, estate_ids={estate.id})["by_category"]
    assert chart.series[0][1] == tuple(by[c] for c in CATEGORIES)
    assert dict(zip(CATEGORIES, chart.series[0][1], strict=True))["repairs"] == 2


def test_the_daily_stock_take_lists_open_complaints_in_ones_estates(session, month, supervisor, gm):
    items = inbox_items(session, supervisor, dt.date(2026, 4, 1))
    # CA's open complaints, oldest first (c6 is closed invalid; c7 is CB's)
    assert [i.label.split(" ")[0] for i in items] == [month[k].number for k in ("c5", "c1", "c2", "c3", "c4")]
    [card] = home_cards(gm)
    assert card.value == 6  # both estates: everything but c6
