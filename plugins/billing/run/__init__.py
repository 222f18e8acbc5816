"""The billing run (出账): one charge line per (unit, fee item, period), computed and inserted in SQL.

The estate's buildings are billed in chunks of whole buildings (about 5% of the units, at most
:data:`CHUNK_MAX_UNITS`; small estates building by building). For each chunk one ``INSERT ...
SELECT`` covers every fee item due in the period and computes every unit's amount with integer
arithmetic, rounded half-up to the fen. A rerun inserts nothing (unique (unit, fee item,
run_period)); each chunk is committed separately, so a run killed midway is completed by running it
again. See docs/plugins/billing.md and docs/performance.md.

The run is split by responsibility:

* :mod:`.plan`: the estate, fee items and prices, buildings and chunks;
* :mod:`.lines`: the SELECT computing every line's amount (the formula is there);
* :mod:`.chunk`: the statements built once per run and executed per chunk;
* :mod:`.summary`: the summary a run returns;
* this module: :func:`run_billing` and :func:`run_billing_range`, which tie them together, and
  the names the CLI, the demo and the benchmarks use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

from core import authorize, estate_today
from core.models import Estate
from plugins.billing import periods as P
from plugins.billing.run.chunk import bill_chunk, chunk_statements
from plugins.billing.run.lines import AREA_BASES, INSERT_COLUMNS
from plugins.billing.run.plan import CHUNK_MAX_UNITS, plan, resolve_estate, run_buildings, run_chunks
from plugins.billing.run.summary import add_chunk, add_period, period_summary, range_summary
from plugins.billing.settings import billing_settings

__all__ = [
    "AREA_BASES",
    "CHUNK_MAX_UNITS",
    "INSERT_COLUMNS",
    "plan",
    "resolve_estate",
    "run_billing",
    "run_billing_range",
]


def run_billing(
    session: Session,
    estate,
    period: str,
    *,
    dry_run: bool = False,
    actor=None,
    buildings: list | None = None,
    commit: bool = True,
    progress: Callable | None = None,
    today: dt.date | None = None,
) -> dict:
    """Bill ``period`` ("YYYY-MM") for ``estate`` (an Estate or its code).

    Returns ``{lines_created, lines_existing, amount_fen, units, ...}``: lines created by this run
    (or, with ``dry_run``, that it would create) and their total; lines that already existed;
    units with a line for the period. ``buildings`` limits the run to some buildings (ids or
    objects); ``today`` is the business day recorded on the lines (default: the estate's today).
    Commits after each chunk of buildings unless ``commit=False`` (``progress(building, period)`` is
    called for each building once its chunk is committed); a dry run writes nothing. After a real run,
    late fees of the previous period are assessed (when configured) and prepaid balances pay the lines.
    """
    if actor is not None:
        authorize(session, actor, "billing.run")
    estate = resolve_estate(session, estate)
    P.parse_period(period)
    items = plan(session, estate, period)
    settings = billing_settings(session)
    buildings = run_buildings(session, estate, buildings)
    today = today or estate_today(session, estate)
    summary = period_summary(estate, period, dry_run)
    stmts = chunk_statements(session, estate, period, items, settings, actor, today) if items else {}
    async_commit = commit and not dry_run and session.get_bind().dialect.name == "postgresql"
    for chunk in run_chunks(session, estate, buildings):
        if async_commit:
            # the run is idempotent: a commit lost in a crash is redone by the next run
            session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        if stmts:
            add_chunk(summary, bill_chunk(session, stmts, [b.id for b in chunk], dry_run))
        if commit and not dry_run:
            session.commit()
        if progress is not None:
            for building in chunk:
                progress(building, period)
    if not dry_run:
        _after_run(session, estate, period, actor, settings, summary, commit, today)
    return summary


def _after_run(
    session: Session,
    estate: Estate,
    period: str,
    actor,
    settings: dict,
    summary: dict,
    commit: bool,
    today: dt.date,
) -> None:
    """After a real run: late fees of the previous period (the config's rate or a fee item's own), then
    prepaid balances pay."""
    from plugins.billing.arrears import assess_late_fees
    from plugins.billing.payments import apply_prepaid_for_estate

    # always assessed: a fee item may carry its own rate even when the config's is 0 (off)
    summary["late_fees"] = assess_late_fees(
        session, estate, P.add_months(period, -1), settings["late_fee_daily_permille"]
    )
    summary["prepaid_applied"] = apply_prepaid_for_estate(session, estate.id, actor, paid_on=today)
    session.flush()
    if commit:
        session.commit()


def run_billing_range(session: Session, estate, from_period: str, to_period: str, **kwargs) -> dict:
    """Catch up: bill every period from ``from_period`` to ``to_period`` (each once, idempotently).

    Every period's prices are checked before anything is written. Returns the totals plus
    ``periods``, one summary per period.
    """
    estate = resolve_estate(session, estate)
    P.parse_period(from_period)
    todo = P.periods_between(from_period, to_period)
    for period in todo:
        plan(session, estate, period)
    if kwargs.get("actor") is not None:
        authorize(session, kwargs["actor"], "billing.run")
    total = range_summary(estate, from_period, to_period, kwargs.get("dry_run", False))
    for period in todo:
        add_period(total, run_billing(session, estate, period, **kwargs))
    return total
