"""``wuye billing run|publish|aging``: billing from the command line (cron-friendly, ``--json``).

The commands are defined here at module level (``billing`` is the group); ``hooks.wuye_cli_commands``
adds the group to ``wuye``. Tests call them with click's ``CliRunner`` and a ``core.cli.State``.
"""

from __future__ import annotations

import datetime as dt
import sys

import click
from sqlalchemy import func, select

from core import echo_json, estate_today, fen_to_yuan, pass_state


@click.group("billing")
def billing():
    """Fees and collection (收费管理): billing runs, fee publication, arrears."""


@billing.command("run")
@click.option("--estate", required=True, metavar="CODE", help="Estate code, e.g. CH.")
@click.option(
    "--period", required=True, metavar="YYYY-MM", help="Period to bill (or the first of a range)."
)
@click.option("--to-period", metavar="YYYY-MM", help="Bill every period up to this one (catch-up).")
@click.option("--dry-run", is_flag=True, help="Compute the summary without writing anything.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print {lines_created, lines_existing, amount_fen, ...}."
)
@click.option("--in-process", "in_process", is_flag=True,
              help="Bill in this process even when [jobs] broker_url sends work to the workers.")
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="With workers: follow the run's progress until it is done.")
@click.option("--timeout", type=click.FloatRange(min=1), metavar="SECONDS",
              help="With workers: give up waiting after this long (exit 1; the run goes on).")
@pass_state
def run_command(state, estate, period, to_period, dry_run, as_json, in_process, wait, timeout):
    """Bill an estate for a period: one line per unit, fee item and period; reruns add nothing.

    With [jobs] broker_url set, the run is sent to the workers (`wuye worker`), one task per chunk of
    buildings, and its progress is shown; running the command again re-queues an unfinished run.
    """
    from core import queue_enabled
    from core.models import Building
    from plugins.billing.periods import periods_between
    from plugins.billing.run import plan, resolve_estate, run_billing_range

    wuye = state.wuye
    if queue_enabled(wuye) and not in_process and not dry_run:
        from plugins.billing.run.progress import queued_run_command

        queued_run_command(wuye, estate, period, to_period, as_json, wait, timeout=timeout)
        return
    with wuye.sessions() as s:
        try:
            est = resolve_estate(s, estate)
            todo = periods_between(period, to_period or period)
            for p in todo:
                plan(s, est, p)
            n = s.scalar(select(func.count(Building.id)).where(Building.estate_id == est.id)) or 1
            with click.progressbar(
                length=len(todo) * n,
                label=f"Billing {est.code} {todo[0]}..{todo[-1]}",
                file=sys.stderr if as_json else None,
            ) as bar:
                summary = run_billing_range(
                    s,
                    est,
                    period,
                    to_period or period,
                    dry_run=dry_run,
                    progress=lambda _b, _p: bar.update(1),
                )
            s.commit()
        except Exception:
            s.rollback()
            raise
    if as_json:
        echo_json(summary)
        return
    verb = "would create" if dry_run else "created"
    click.echo(
        f"{est.code} {todo[0]}..{todo[-1]}: {verb} {summary['lines_created']} lines, "
        f"{fen_to_yuan(summary['amount_fen'])} yuan; {summary['lines_existing']} lines already existed"
    )


@billing.command("progress")
@click.argument("run_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the run and its chunks.")
@pass_state
def progress_command(state, run_id, as_json):
    """Show a queued billing run's progress per chunk of buildings."""
    from plugins.billing.run.progress import show_progress

    show_progress(state.wuye, run_id, as_json)


@billing.command("publish")
@click.option("--estate", required=True, metavar="CODE")
@click.option(
    "--on", "on", type=click.DateTime(["%Y-%m-%d"]), help="Prices in force on this day (default today)."
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def publish_command(state, estate, on, as_json):
    """Print the fee publication (收费公示): active items and their prices."""
    from plugins.billing.fees import publication
    from plugins.billing.run import resolve_estate

    with state.wuye.session() as s:
        data = publication(s, resolve_estate(s, estate), on.date() if on else None)
    if as_json:
        echo_json(data)
        return
    click.echo(f"{data['estate']['name']} 收费公示 ({data['on']})")
    for r in data["items"]:
        price = r["price_yuan"] or "—"
        name = r["name_zh"] or r["name"]
        click.echo(f"  {name:<20} {r['basis_zh']:<16} {r['cycle_zh']:<6} {price} 元/{r['unit_label']}")


@billing.command("aging")
@click.option("--estate", required=True, metavar="CODE")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), help="Day (default today).")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def aging_command(state, estate, as_of, as_json):
    """Arrears ageing of an estate: 0-30, 31-90, 91-365, 366-1095, over 1095 days."""
    from plugins.billing.arrears import aging
    from plugins.billing.run import resolve_estate

    with state.wuye.session() as s:
        est = resolve_estate(s, estate)
        day: dt.date = as_of.date() if as_of else estate_today(s, est)
        data = aging(s, est, day)
    if as_json:
        echo_json(
            {
                "as_of": data["as_of"],
                "buckets": data["buckets"],
                "total_fen": data["total_fen"],
                "units": len(data["units"]),
            }
        )
        return
    for name, fen in data["buckets"].items():
        click.echo(f"{name:>10}: {fen_to_yuan(fen):>14} yuan")
    click.echo(f"{'total':>10}: {fen_to_yuan(data['total_fen']):>14} yuan ({len(data['units'])} units)")
