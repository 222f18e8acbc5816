"""``wuye webhooks add|list|deliver``: endpoints and deliveries from the command line.

The command line acts as the system (like ``wuye roles grant``): whoever runs it administers the
installation. ``hooks.wuye_cli_commands`` adds the group to ``wuye``.
"""

from __future__ import annotations

import click
from sqlalchemy import select

from core import ValidationError, as_system, echo_json, pass_state, utcnow
from core.models import Estate


@click.group("webhooks")
def webhooks():
    """Signed outbound webhooks (事件推送): endpoints and the delivery log."""


@webhooks.command("add")
@click.argument("url")
@click.option("--events", required=True, metavar="EVENTS",
              help="Event types, separated by commas: record.created, record.transition, billing.payment.")
@click.option("--estate", metavar="CODE", help="Only this estate's events (default: every estate).")
@click.option("--secret", help="Signing secret, at least 16 characters (default: a new random one, printed once).")
@click.option("--description", default="", help="What the endpoint is for.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def add_command(state, url, events, estate, secret, description, as_json):
    """Add an endpoint: events are POSTed to URL, signed with its secret (X-Wuye-Signature)."""
    from plugins.webhooks.endpoints import create_endpoint, new_secret

    generated = secret is None
    secret = new_secret() if generated else secret
    with state.wuye.session() as s, as_system(s):
        estate_id = None
        if estate is not None:
            estate_id = s.scalar(select(Estate.id).where(Estate.code == estate))
            if estate_id is None:
                known = ", ".join(s.scalars(select(Estate.code).order_by(Estate.code))) or "none yet"
                raise ValidationError(f"no estate with code {estate!r} (known: {known}); see `wuye estates list`",
                                      field="estate")
        endpoint = create_endpoint(s, None, {"url": url, "events": events, "estate_id": estate_id,
                                             "secret": secret, "description": description})
        row = {"id": endpoint.id, "url": endpoint.url, "events": endpoint.events.split(), "estate": estate,
               "secret": secret if generated else None}
    if as_json:
        echo_json(row)
        return
    click.echo(f"added endpoint #{row['id']} {row['url']} ({', '.join(row['events'])}; "
               f"{'estate ' + estate if estate else 'every estate'})")
    if generated:
        click.echo(f"signing secret (shown only now; the receiver verifies X-Wuye-Signature with it):\n{secret}")


@webhooks.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def list_command(state, as_json):
    """List the endpoints with their deliveries by status."""
    from plugins.webhooks.endpoints import delivery_counts, endpoints_for

    with state.wuye.session() as s, as_system(s):
        endpoints = endpoints_for(s, None)
        codes = dict(s.execute(select(Estate.id, Estate.code)).all())
        counts = delivery_counts(s, [e.id for e in endpoints])
        rows = [{"id": e.id, "url": e.url, "estate": codes.get(e.estate_id), "events": e.events.split(),
                 "active": e.active, "description": e.description, "deliveries": counts[e.id]} for e in endpoints]
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("no endpoints; add one with `wuye webhooks add URL --events record.created`")
    for r in rows:
        done = ", ".join(f"{k} {v}" for k, v in sorted(r["deliveries"].items())) or "no deliveries"
        click.echo(f"#{r['id']:<4} {'active  ' if r['active'] else 'inactive'} {r['estate'] or '*':<8} {r['url']}  "
                   f"[{', '.join(r['events'])}]  {done}")


@webhooks.command("deliver")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def deliver_command(state, as_json):
    """Send the deliveries due now (what the job webhooks.deliver does every minute)."""
    from plugins.webhooks.delivery import deliver_due

    summary = deliver_due(state.wuye.session, utcnow())
    if as_json:
        echo_json(summary)
        return
    click.echo(", ".join(f"{k} {v}" for k, v in summary.items()))
