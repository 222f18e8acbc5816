"""What a billing run reports: one summary per period, and the totals of a catch-up over a range.

The keys (and their order, which ``wuye billing run --json`` prints) are part of the contract of
:func:`~plugins.billing.run.run_billing` and :func:`~plugins.billing.run.run_billing_range`.
"""

from __future__ import annotations

from core.models import Estate

CHUNK_COUNTS = ("lines_created", "amount_fen", "lines_existing", "units")  # in bill_chunk's order


def period_summary(estate: Estate, period: str, dry_run: bool) -> dict:
    """An empty summary of one period's run, to which each chunk adds its counts."""
    return {
        "estate": estate.code,
        "period": period,
        "dry_run": dry_run,
        "lines_created": 0,
        "lines_existing": 0,
        "amount_fen": 0,
        "units": 0,
    }


def add_chunk(summary: dict, counts: tuple[int, int, int, int]) -> None:
    """Add one chunk's (lines created, fen, lines existing, units) to ``summary``."""
    for key, value in zip(CHUNK_COUNTS, counts, strict=True):
        summary[key] += value


def range_summary(estate: Estate, from_period: str, to_period: str, dry_run: bool) -> dict:
    """Empty totals of a catch-up run; ``periods`` collects each period's summary."""
    return {
        "estate": estate.code,
        "from_period": from_period,
        "to_period": to_period,
        "dry_run": dry_run,
        "lines_created": 0,
        "lines_existing": 0,
        "amount_fen": 0,
        "units": 0,
        "periods": [],
    }


def add_period(total: dict, one: dict) -> None:
    """Add one period's summary to the totals: lines and fen add up; ``units`` is the most in any period
    (the same units are billed every month, so adding them would count each unit once per period)."""
    total["periods"].append(one)
    for key in ("lines_created", "lines_existing", "amount_fen"):
        total[key] += one[key]
    total["units"] = max(total["units"], one["units"])
