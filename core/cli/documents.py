"""``wuye documents list|print``: printable documents from the command line.

``wuye documents print billing.payment_notice --building 3 --period 2026-12 --out notices.pdf``
prints the notice of every unit of building 3 as one PDF, with a progress bar; ``--record ID``
(repeatable) prints chosen records. The command line acts as the system: every issue is logged
(numbered the first time, a reprint after) without a staff member.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from core.cli import echo_json, pass_state


@click.group("documents")
def documents():
    """Printable documents (打印单据): receipts, notices, permits, agreements."""


@documents.command("list")
@pass_state
def list_command(state):
    """The documents of the enabled plugins, with their parameters."""
    from core.documents import documents_of

    docs = sorted(documents_of(state.wuye).values(), key=lambda d: (d.order, d.name))
    echo_json([{"name": d.name, "label": d.label, "label_zh": d.label_zh, "model": d.model.__tablename__,
                "permission": d.permission, "params": list(d.params), "batch": d.batch is not None} for d in docs])


def _params(period: str | None, pairs: tuple[str, ...]) -> dict:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r}: write NAME=VALUE, e.g. period=2026-12", param_hint="--param")
        params[key] = value
    if period:
        params["period"] = period
    return params


@documents.command("print")
@click.argument("name")
@click.option("--record", "records", type=int, multiple=True, metavar="ID", help="Record id (repeatable).")
@click.option("--building", type=int, metavar="ID", help="Every record of this building (documents with a batch).")
@click.option("--period", metavar="YYYY-MM", help="Shortcut for --param period=YYYY-MM.")
@click.option("--param", "pairs", multiple=True, metavar="NAME=VALUE", help="A document parameter (repeatable).")
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), help="Language (default: the company's locale).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True), help="PDF file to write.")
@pass_state
def print_command(state, name, records, building, period, pairs, lang, out):
    """Print document NAME for records (--record) or a whole building (--building) as one PDF."""
    from core.context import as_system
    from core.documents import batch_records, get_document, load_record, render_batch_pdf

    if bool(records) == bool(building):
        raise click.UsageError("give either --record ID (repeatable) or --building ID")
    params = _params(period, pairs)
    with state.wuye.sessions() as s, as_system(s):
        try:
            doc = get_document(s, name)
            if building:
                targets = batch_records(s, None, name, building, params=params)
            else:
                targets = [load_record(s, None, doc.model, i) for i in records]
            if not targets:
                raise click.ClickException(f"nothing to print: building {building} has no records for {name}")
            with click.progressbar(length=len(targets), label=f"{name} x{len(targets)}", file=sys.stderr) as bar:
                data = render_batch_pdf(s, None, name, targets, params=params, lang=lang,
                                        progress=lambda: bar.update(1))
            Path(out).write_bytes(data)
            s.commit()  # the issue log, once the file is written
        except Exception:
            s.rollback()
            raise
    click.echo(f"{out}: {len(targets)} {doc.label_zh or doc.label} ({len(data):,} bytes)")


def register(cli: click.Group) -> None:
    cli.add_command(documents)
