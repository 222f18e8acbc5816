"""``wuye estates list|create``: estates (小区/项目)."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from core.cli import echo_json, pass_state
from core.errors import Conflict


def create_estate(session, data: dict, *, default_timezone: str):
    """Create an estate from ``data`` validated by ``EstateSchema``, the schema the admin screen and
    ``POST /api/v1/estates`` use, so all three accept and refuse the same input."""
    from core.models import Estate
    from core.validation import load
    from core.web.core_schemas import EstateSchema

    loaded = load(EstateSchema, {"timezone": default_timezone, **data})
    taken = session.scalar(select(Estate).where(Estate.code == loaded["code"]))
    if taken is not None:
        raise Conflict(f"an estate with code '{loaded['code']}' already exists ({taken.name}); "
                       "choose another code (see `wuye estates list`)", field="code")
    estate = Estate(**loaded)
    session.add(estate)
    session.flush()
    return estate


def register(cli: click.Group) -> None:
    @cli.group("estates")
    def estates():
        """Estates (小区/项目)."""

    @estates.command("list")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def list_(state, as_json):
        """List estates with their number of buildings and units."""
        from core.models import Building, Estate, Unit

        with state.wuye.session() as s:
            n_b = select(func.count(Building.id)).where(Building.estate_id == Estate.id).scalar_subquery()
            n_u = select(func.count(Unit.id)).where(Unit.estate_id == Estate.id).scalar_subquery()
            rows = [{"code": e.code, "name": e.name, "timezone": e.timezone, "buildings": b, "units": u}
                    for e, b, u in s.execute(select(Estate, n_b, n_u).order_by(Estate.code))]
        if as_json:
            echo_json(rows)
            return
        for r in rows:
            click.echo(f"{r['code']:<10} {r['name']:<24} buildings: {r['buildings']:>4}  units: {r['units']:>6}")

    @estates.command("create")
    @click.argument("code")
    @click.argument("name")
    @click.option("--timezone", help="IANA time zone of the estate (default: [core] timezone, e.g. Asia/Shanghai).")
    @click.option("--kind", help="residential (default), office, commercial, ...")
    @click.option("--address", help="Street address.")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def create(state, code, name, timezone, kind, address, as_json):
        """Create the estate CODE (a short code used in numbers, e.g. CH) named NAME.

        Then add buildings and units with `wuye import units FILE`.
        """
        wuye = state.wuye
        given = {"timezone": timezone, "kind": kind, "address": address}
        data = {"code": code, "name": name, **{k: v for k, v in given.items() if v is not None}}
        with wuye.session() as s:
            estate = create_estate(s, data, default_timezone=wuye.config.timezone)
            row = {"id": estate.id, "code": estate.code, "name": estate.name, "kind": estate.kind,
                   "timezone": estate.timezone, "address": estate.address}
        if as_json:
            echo_json(row)
        else:
            click.echo(f"created estate {row['code']} {row['name']} ({row['kind']}, {row['timezone']})")
