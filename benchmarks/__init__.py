"""Wuye's performance harness (never part of the pass/fail test run).

``python -m benchmarks all [--quick]`` generates its own data, measures, and writes
``benchmarks/results.json`` and a markdown table; each figure stands beside a baseline measured in
the same run, so the ratios mean something on any machine.
"""
