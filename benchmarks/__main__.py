"""``python -m benchmarks all [--quick]``: run every benchmark, write results.json and a table."""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import pg_url

HERE = Path(__file__).parent
SUITES = ("import", "billing", "web", "workplace", "queue")


def table(results: list[dict]) -> str:
    lines = ["| benchmark | backend | figure | baseline (same run) | ratio | target | met |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        base = f"{r['baseline_value']:,} ({r['baseline']})" if r["baseline_value"] is not None else r["baseline"]
        met = {True: "yes", False: "**no**", None: "-"}[r["met"]]
        lines.append(f"| {r['benchmark']} | {r['backend']} | {r['value']:,} {r['unit']} | {base} | "
                     f"{r['ratio'] if r['ratio'] is not None else '-'} | {r['target']} | {met} |")
    return "\n".join(lines)


def machine() -> dict:
    """What the figures were measured on."""
    import os
    import sqlite3

    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "sqlite": sqlite3.sqlite_version}
    try:
        kb = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
        info["ram_gb"] = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError):
        pass
    url = pg_url()
    if url:
        from core.db import make_engine

        engine = make_engine(url)
        with engine.connect() as conn:
            info["postgresql"] = conn.exec_driver_sql("SHOW server_version").scalar()
        engine.dispose()
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("suite", choices=("all", *SUITES))
    parser.add_argument("--quick", action="store_true", help="small data sets; finishes in a few minutes")
    parser.add_argument("--out", default=str(HERE / "results.json"))
    parser.add_argument("--units", type=int, help="queue: units billed (default 200000; 20000 with --quick)")
    args = parser.parse_args(argv)
    import importlib

    backends = ["sqlite"] + (["postgresql"] if pg_url() else [])
    suites = SUITES if args.suite == "all" else (args.suite,)
    started = time.time()
    results = []
    suite_seconds = {}
    with tempfile.TemporaryDirectory() as tmp:
        for suite in suites:
            module = importlib.import_module(f"benchmarks.bench_{suite}")
            print(f"== {suite}", file=sys.stderr)
            begun = time.time()
            extra = {"units": args.units} if suite == "queue" and args.units else {}
            results += [r.to_dict() for r in module.run(backends, args.quick, Path(tmp), **extra)]
            suite_seconds[suite] = round(time.time() - begun, 1)
    doc = {"quick": args.quick, "seconds": round(time.time() - started, 1), "backends": backends,
           "suite_seconds": suite_seconds, "machine": machine(), "results": results}
    Path(args.out).write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    md = table(results)
    Path(args.out).with_suffix(".md").write_text(md + "\n", encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
