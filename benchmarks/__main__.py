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
SUITES = ("import",)


def table(results: list[dict]) -> str:
    lines = ["| benchmark | backend | figure | baseline (same run) | ratio | target | met |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        base = f"{r['baseline_value']:,} ({r['baseline']})" if r["baseline_value"] is not None else r["baseline"]
        met = {True: "yes", False: "**no**", None: "-"}[r["met"]]
        lines.append(f"| {r['benchmark']} | {r['backend']} | {r['value']:,} {r['unit']} | {base} | "
                     f"{r['ratio'] if r['ratio'] is not None else '-'} | {r['target']} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("suite", choices=("all", *SUITES))
    parser.add_argument("--quick", action="store_true", help="small data sets; finishes in a few minutes")
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args(argv)
    import importlib

    backends = ["sqlite"] + (["postgresql"] if pg_url() else [])
    suites = SUITES if args.suite == "all" else (args.suite,)
    started = time.time()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for suite in suites:
            module = importlib.import_module(f"benchmarks.bench_{suite}")
            print(f"== {suite}", file=sys.stderr)
            results += [r.to_dict() for r in module.run(backends, args.quick, Path(tmp))]
    doc = {"quick": args.quick, "seconds": round(time.time() - started, 1), "backends": backends,
           "machine": {"python": platform.python_version(), "platform": platform.platform(),
                       "cpus": __import__("os").cpu_count()},
           "results": results}
    Path(args.out).write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    md = table(results)
    Path(args.out).with_suffix(".md").write_text(md + "\n", encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
