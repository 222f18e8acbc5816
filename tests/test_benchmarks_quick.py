"""``python -m benchmarks all --quick`` runs end to end and reports every benchmark with numbers.

Times are never judged here (they depend on the machine); docs/performance.md has the figures.
The PostgreSQL benchmarks run when WUYE_BENCH_DATABASE_URL or WUYE_TEST_DATABASE_URL points at a
server where databases can be created.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SQLITE_BENCHMARKS = {"import_units_csv", "import_units_xlsx", "billing_run", "billing_rerun", "billing_run_peak_memory",
                     "payments_one_bill", "payments_spread"}
POSTGRESQL_ONLY = {"billing_run_vs_copy", "admin_units_first_page", "admin_units_deep_page", "admin_units_search",
                   "api_unit_get", "workplace_baseline_unit_list", "workplace_unit_page", "workplace_party_page",
                   "workplace_search_label", "workplace_search_name", "workplace_search_phone_tail",
                   "workplace_search_document", "workplace_search_clerk", "workplace_inbox_engineer", "workplace_inbox_manager",
                   "workplace_home_manager", "workplace_api_search", "workplace_api_inbox"}


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("bench") / "results.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "all", "--quick", "--out", str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert out.with_suffix(".md").read_text(encoding="utf-8").startswith("| benchmark |")
    return json.loads(out.read_text(encoding="utf-8"))


def test_quick_run_reports_every_benchmark_with_numbers(quick_results):
    doc = quick_results
    assert doc["quick"] is True and doc["machine"]["cpus"] >= 1
    got = {(r["benchmark"], r["backend"]) for r in doc["results"]}
    expected = {(name, "sqlite") for name in SQLITE_BENCHMARKS}
    if "postgresql" in doc["backends"]:
        expected |= {(name, "postgresql") for name in SQLITE_BENCHMARKS | POSTGRESQL_ONLY}
    assert expected <= got, sorted(expected - got)
    for r in doc["results"]:
        assert isinstance(r["value"], int | float) and math.isfinite(r["value"]) and r["value"] >= 0, r
        assert r["target"], r
        assert r["met"] in (True, False, None), r
        if r["baseline_value"] is not None:
            assert isinstance(r["baseline_value"], int | float) and r["baseline_value"] >= 0, r


def test_quick_run_checks_what_it_measures(quick_results):
    by = {(r["benchmark"], r["backend"]): r for r in quick_results["results"]}
    for backend in quick_results["backends"]:
        run = by[("billing_run", backend)]
        assert run["extra"]["lines"] == 3 * run["extra"]["units"]  # one line per unit and fee item
        assert by[("billing_rerun", backend)]["extra"]["rows_inserted"] == 0
        for mode in ("payments_one_bill", "payments_spread"):
            assert by[(mode, backend)]["extra"]["payments"] > 0
            assert "0 errors" in by[(mode, backend)]["notes"]


def test_quick_run_builds_the_workplace_world(quick_results):
    """Owners, bills and renovations waiting for review exist, and each page was measured (not a 404)."""
    if "postgresql" not in quick_results["backends"]:
        pytest.skip("the workplace benchmark runs on PostgreSQL only")
    by = {r["benchmark"]: r for r in quick_results["results"] if r["backend"] == "postgresql"}
    world = by["workplace_baseline_unit_list"]["extra"]["world"]
    assert world["parties"] > 0.9 * world["units"] and world["relations"] == world["parties"]
    assert world["charge_lines"] == 3 * world["units"] and world["allocations"] == 2 * world["payments"]
    assert 0 < world["renovations_in_review"] < world["renovations"]
    for name, r in by.items():
        if name.startswith("workplace_") and name != "workplace_baseline_unit_list":
            assert r["baseline_value"] == by["workplace_baseline_unit_list"]["value"], r
            assert r["value"] > 0 and r["extra"]["statements"] > 0, r  # measured: the page answered 200
