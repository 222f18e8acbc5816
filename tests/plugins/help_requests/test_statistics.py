"""Monthly statistics by category (``plugins/help_requests/statistics.py``) and the dashboard chart
that shows them: the estate's local month, replies within the limit counted."""

from __future__ import annotations

import datetime as dt

from core import apply
from plugins.help_requests import services
from plugins.help_requests.dashboards import charts
from tests.plugins.help_requests.conftest import T0


def test_the_month_counts_requests_by_category_and_replies_in_time(session, clerk, other_clerk, estate, request_data):
    on_time = services.register_request(session, clerk, request_data(), now=T0)
    late = services.register_request(session, clerk, request_data(), now=T0)
    services.register_request(session, clerk, request_data(category="fire", location="3栋"), now=T0)
    # 2026-03-01 01:00 in Shanghai: March; 2026-02-28 23:00 in Shanghai: February
    march_first = services.register_request(session, clerk, request_data(category="gas", location="5楼"),
                                            now=dt.datetime(2026, 2, 28, 17, 0, tzinfo=dt.UTC))
    services.register_request(session, clerk, request_data(category="gas", location="6楼"),
                              now=dt.datetime(2026, 2, 28, 15, 0, tzinfo=dt.UTC))
    for request, minutes in ((on_time, 30), (late, 31)):
        apply(session, request, "respond", clerk, reply="已处理")
        request.replied_at = T0 + dt.timedelta(minutes=minutes)
    session.flush()
    assert march_first.received_at.month == 2  # stored in UTC, counted in the estate's March
    counts = services.monthly_counts(session, estate, dt.date(2026, 3, 15))
    assert counts["locked_out"] == (2, 1) and counts["fire"] == (1, 0) and counts["gas"] == (1, 0)
    assert sum(n for n, _ in counts.values()) == 4
    assert services.monthly_counts(session, estate, dt.date(2026, 2, 1))["gas"] == (1, 0)

    [chart] = charts(session, clerk, dt.date(2026, 3, 15))
    assert chart.estate_id == estate.id
    received, in_time = chart.series
    assert list(received[1]) == [counts[c][0] for c in counts] and list(in_time[1]) == [counts[c][1] for c in counts]
    assert all(c.estate_id != estate.id for c in charts(session, other_clerk, dt.date(2026, 3, 15)))
