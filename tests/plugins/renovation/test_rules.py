"""The manual's rules shipped in data/: the 14 prohibited acts, the undertakings, technical rules, scope."""

from __future__ import annotations

from plugins.renovation import rules


def test_the_fourteen_prohibited_acts_and_the_rules():
    acts = rules.prohibited_acts()
    assert [a["code"] for a in acts] == [f"P{i:02d}" for i in range(1, 15)]
    assert acts[0]["name_zh"] == "搭建建筑物、构筑物"
    assert acts[13]["name_zh"] == "其他影响建筑结构安全、使用安全,以及影响建筑外貌的行为"
    assert len(rules.undertakings()) == 4
    technical = {r["key"]: r["code"] for r in rules.technical_rules()}
    assert {"electrical_load", "closed_water_test", "slab_drilling", "work_hours"} <= set(technical)
    scope = {i["code"] for i in rules.scope_items()}
    assert {"wall_changes", "waterproofing", "electrical", "gas", "ac_units", "burglar_windows", "plumbing",
            "flooring", "ceiling"} <= scope
