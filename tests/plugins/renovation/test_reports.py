"""The registers: units under renovation, deposits held, violations by type and (local) month."""

from __future__ import annotations

import datetime as dt

from plugins.renovation import services


def test_reports(reno):
    s = reno.session
    a = reno.drive(reno.apply(reno.units[0]), "in_progress")
    b = reno.drive(reno.apply(reno.units[2], self_renovation=True, worker_guarantee_ref="G-1"), "agreement_signed")
    rows = services.units_under_renovation(s, reno.estate)
    assert [(r["number"], r["contractor"]) for r in rows] == [(a.number, "金螳螂家装工程有限公司")]
    reno.pay(b)
    held = services.deposits_held(s, reno.estate)
    assert [r["number"] for r in held["rows"]] == [a.number, b.number] and held["total_fen"] == 400000
    v1 = services.record_violation(s, reno.actors["guard"], a, code="T11", deduction_fen=5000)
    v2 = services.record_violation(s, reno.actors["guard"], a, code="T11")
    v3 = services.record_violation(s, reno.actors["guard"], a, code="P07", deduction_fen=20000)
    # 2026-04-30 17:30 UTC is already May in Shanghai
    v1.detected_at = dt.datetime(2026, 4, 30, 17, 30, tzinfo=dt.UTC)
    v2.detected_at = dt.datetime(2026, 4, 30, 15, 30, tzinfo=dt.UTC)
    v3.detected_at = dt.datetime(2026, 5, 3, 2, 0, tzinfo=dt.UTC)
    s.flush()
    report = services.violations_by_type_and_month(s, reno.estate, year=2026)
    assert [(r["month"], r["code"], r["count"], r["deduction_fen"]) for r in report] == [
        ("2026-04", "T11", 1, 0), ("2026-05", "P07", 1, 20000), ("2026-05", "T11", 1, 5000)]
    assert report[1]["name_zh"] == "损坏物业共有设施、设备及场地,擅自移动共有设施、设备"
