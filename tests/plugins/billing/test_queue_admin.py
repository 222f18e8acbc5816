"""Queued billing runs in the admin: the runs list shows each estate's progress, a run's page its chunks."""

from __future__ import annotations

import datetime as dt

from core.web.context import session_stamp
from plugins.billing.run import queued

from .helpers import item


def test_a_runs_progress_per_estate_and_chunk_is_shown(bt, app):
    s = bt.session
    item(s, bt.estate, "pf", price="2.35")
    run = queued.create_run(s, bt.estate, "2026-11", today=dt.date(2026, 11, 5))
    run.chunks[0].status, run.chunks[0].lines_created, run.chunks_done = "done", 3, 1
    s.commit()
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["uid"], cookie["pwv"] = bt.manager.id, session_stamp(bt.manager)
    listing = client.get("/admin/billing_runs/")
    assert listing.status_code == 200, listing.text[:300]
    assert "出账批次" in listing.text and "2026-11" in listing.text and bt.estate.name in listing.text
    page = client.get(f"/admin/billing_runs/details/?id={run.id}")
    assert page.status_code == 200
    assert "进度：已完成 1/2 个分块" in page.text
    assert page.text.count('class="wuye-run-chunk" data-status="done"') == 1
    assert page.text.count('class="wuye-run-chunk" data-status="queued"') == 1
    guard = client.application.test_client()
    with guard.session_transaction() as cookie:
        cookie["uid"], cookie["pwv"] = bt.guard.id, session_stamp(bt.guard)
    assert guard.get("/admin/billing_runs/").status_code == 403
