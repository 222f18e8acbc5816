"""``wuye users create``, ``wuye estates list``, ``wuye roles list``."""

from __future__ import annotations

import sys

import click
from sqlalchemy import func, select

from core.cli import echo_json, pass_state


def register(cli: click.Group) -> None:
    @cli.group("users")
    def users():
        """Staff logins."""

    @users.command("create")
    @click.argument("username")
    @click.option("--role", "roles", multiple=True, required=True, help="Role name (repeatable), e.g. cs_supervisor.")
    @click.option("--estate", "estates", multiple=True, help="Estate code the user works for (repeatable).")
    @click.option("--name", "full_name", default="", help="Full name.")
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def create(state, username, roles, estates, full_name, password_stdin, as_json):
        """Create a staff login with roles and estates."""
        from core.services.staff import create_staff

        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        wuye = state.wuye
        with wuye.session() as s:
            user = create_staff(s, username, password, roles=list(roles), estates=list(estates), full_name=full_name)
            data = {"id": user.id, "username": user.username, "roles": sorted(user.role_names),
                    "estates": sorted(e.code for e in user.estates)}
        if as_json:
            echo_json(data)
        else:
            click.echo(f"created {data['username']} (roles: {', '.join(data['roles'])}; "
                       f"estates: {', '.join(data['estates']) or 'all'})")

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

    @cli.group("roles")
    def roles():
        """Roles and their grants."""

    @roles.command("list")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def roles_list(state, as_json):
        """List the roles known to the enabled plugins."""
        rows = [{"name": r.name, "label": r.label, "label_zh": r.label_zh, "level": r.level,
                 "supervisor": r.supervisor} for r in state.wuye.registry.roles.values()]
        if as_json:
            echo_json(rows)
            return
        for r in rows:
            click.echo(f"{r['name']:<26} {r['label_zh']:<12} {r['label']}")
