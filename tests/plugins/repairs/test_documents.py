"""The three-part work order (维修派工单, 一式三联) prints with the order's facts on each copy."""

from __future__ import annotations

import datetime as dt

from core.documents.printing import render_html
from plugins.repairs import services


def test_the_work_order_prints_three_copies(rp):
    o = rp.order(category_id=rp.paid_cat.id)
    o.received_at = dt.datetime(2026, 3, 10, 1, 5, tzinfo=dt.UTC)  # 09:05 at the estate (Asia/Shanghai)
    services.assign_technician(rp.session, rp.sup, o, rp.t1)
    services.set_price(rp.session, rp.sup, o, labour_fen=5000, material_fen=1250)
    html = str(render_html(rp.session, rp.clerk, "repairs.work_order", o))
    for copy in ("第一联", "第二联", "第三联"):
        assert html.count(copy) == 1
    assert html.count("厨房水管漏水") == 3 and html.count("2026-03-10 09:05") == 3
    assert o.number in html and "12.50" in html and "王先生" in html
