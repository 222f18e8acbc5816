"""The dashboards page: ECharts served locally, every chart's numbers from the services, Excel export."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import load_workbook

from core.clock import estate_today
from plugins.billing import periods as P
from plugins.billing import services as billing


def _bill(factory, world):
    """Estate A: two units billed 100.00 each this period, one paid 50.00 today (rate 25.00 %)."""
    from core.models import Estate, Unit
    from tests.plugins.billing.helpers import item, staff

    s = factory()
    estate = s.get(Estate, world["a"])
    today = estate_today(s, estate)
    period = P.period_of(today)
    item(s, estate, "dash_pf", price="100.00", basis="per_unit")
    from plugins.billing.models import ChargeLine, FeeItem

    fee = s.query(FeeItem).filter_by(code="dash_pf").one()
    units = [s.get(Unit, uid) for uid in world["units_a"][:2]]
    for unit in units:
        s.add(ChargeLine(estate_id=estate.id, unit_id=unit.id, fee_item_id=fee.id, period=period, origin="posted",
                         amount_fen=10000, due_on=today, posted_on=today, source=f"dash:{unit.id}"))
    s.flush()
    cashier = staff(s, "dash_cashier", "cashier", estates=[estate])
    billing.record_payment(s, cashier, unit=units[0], amount_fen=5000, method="cash", paid_on=today)
    s.commit()
    [row] = billing.collection_rate(s, estate, period, as_of=today)
    s.close()
    return period, row


def test_page_renders_with_local_echarts_and_the_services_numbers(app, world, factory, client_as):
    period, row = _bill(factory, world)
    assert (row["billed_fen"], row["paid_fen"], str(row["rate"])) == (20000, 5000, "25.00")
    client = client_as("admin")
    page = client.get(f"/admin/dashboards/?estate={world['a']}")
    assert page.status_code == 200
    assert 'src="/static/wuye/vendor/echarts/echarts.min.js"' in page.text
    assert not re.search(r'<script[^>]+src="(https?:)?//', page.text)  # nothing from the internet
    for chart in ("billing-collection-by-month", "billing-collection-by-building", "billing-collection-by-category",
                  "billing-arrears-ageing", "renovation-pipeline", "keys-out-and-overdue",
                  "convenience-revenue-by-month"):
        assert f'id="chart-{chart}"' in page.text, chart
    lib = client.get("/static/wuye/vendor/echarts/echarts.min.js")
    assert lib.status_code == 200 and b"echarts" in lib.data[:2000]
    lib.close()
    xlsx = client.get(f"/admin/dashboards/billing-collection-by-month.xlsx?estate={world['a']}")
    assert xlsx.status_code == 200
    sheet = load_workbook(BytesIO(xlsx.data)).active
    last = [c.value for c in sheet[sheet.max_row]]
    assert last == [period, 200.0, 50.0, 25.0]
    api = client.get(f"/api/v1/dashboards/billing-collection-by-month?estate={world['a']}")
    assert api.status_code in (200, 401)  # the API wants a token, not the cookie


def test_api_chart_equals_the_service(app, world, factory, token_for):
    period, row = _bill(factory, world)
    body = app.test_client().get(f"/api/v1/dashboards/billing-collection-by-month?estate={world['a']}",
                                 headers={"Authorization": f"Bearer {token_for('admin')}"}).get_json()
    [chart] = body["charts"]
    assert chart["categories"][-1] == period
    assert [s["values"][-1] for s in chart["series"]] == [200.0, 50.0, float(row["rate"])]
    missing = app.test_client().get("/api/v1/dashboards/no-such-chart",
                                    headers={"Authorization": f"Bearer {token_for('admin')}"})
    assert missing.status_code == 404


def test_charts_follow_permissions(app, world, client_as):
    page = client_as("guard_a").get("/admin/dashboards/")
    assert page.status_code == 200
    assert 'id="chart-billing-collection-by-month"' not in page.text  # billing reports are not the guard's
