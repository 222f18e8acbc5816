"""The convenience monthly statement (便民服务月结单) as a printable document."""

from __future__ import annotations

import datetime as dt

from core import estate_today
from core.documents import render_html
from plugins.convenience import services

from .steps import book, deliver_and_confirm

NOW = dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC)


def test_monthly_statement_lists_the_services_and_the_total(published):
    s, ns = published.session, published
    for code in ("P-DRAIN", "P-CLEAN"):
        services.charge(s, ns.cashier, deliver_and_confirm(ns, book(ns, code, mode="monthly")))
    period = estate_today(s, ns.estate).strftime("%Y-%m")
    statement = services.build_statement(s, ns.cashier, unit=ns.units[0], customer=ns.owners[0], period=period)
    html = render_html(s, ns.cashier, "convenience.monthly_statement", statement, lang="zh_CN", now=NOW)
    assert "便民服务月结单" in html and period in html and ns.units[0].label in html and ns.owners[0].name in html
    assert "CM-2026-000001" in html and "住户签字" in html
    assert html.count('<td class="num">') == len(statement.lines) >= 2
    assert f"¥{statement.total_fen // 100:,}.{statement.total_fen % 100:02d}" in html
    assert "请核对以上服务并签字确认" in html
