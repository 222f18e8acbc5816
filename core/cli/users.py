"""``wuye users list|create``: staff logins."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from core.cli import echo_json, pass_state
from core.errors import ValidationError


def list_staff(session, *, estate: str | None = None, role: str | None = None) -> list[dict]:
    """Staff logins as rows, by username. ``estate`` (a code) keeps those who work for it: assigned to it,
    or holding a role that sees every estate (``all_estates``); ``role`` keeps the holders of that role.
    An unknown code or role name is a ``ValidationError`` naming it."""
    from core.models import Estate, Role, StaffUser

    stmt = select(StaffUser).order_by(StaffUser.username)
    if role is not None:
        found = session.scalar(select(Role).where(Role.name == role))
        if found is None:
            raise ValidationError(f"unknown role '{role}'; see `wuye roles list` (run `wuye db upgrade` if it "
                                  "is listed there)", field="role")
        stmt = stmt.where(StaffUser.roles.any(Role.id == found.id))
    if estate is not None:
        found = session.scalar(select(Estate).where(Estate.code == estate))
        if found is None:
            raise ValidationError(f"unknown estate code '{estate}'; see `wuye estates list`", field="estate")
        stmt = stmt.where(StaffUser.estates.any(Estate.id == found.id) | StaffUser.roles.any(Role.all_estates))
    return [{"id": u.id, "username": u.username, "name": u.full_name, "roles": sorted(u.role_names),
             "estates": sorted(e.code for e in u.estates), "all_estates": u.all_estates, "active": u.active}
            for u in session.scalars(stmt)]


def register(cli: click.Group) -> None:
    @cli.group("users")
    def users():
        """Staff logins."""

    @users.command("list")
    @click.option("--estate", help="Only staff who work for this estate code (the all-estates roles included).")
    @click.option("--role", help="Only holders of this role, e.g. cashier.")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def list_(state, estate, role, as_json):
        """List staff logins: username, name, roles, estates (or all estates), active."""
        with state.wuye.session() as s:
            rows = list_staff(s, estate=estate, role=role)
        if as_json:
            echo_json(rows)
            return
        for r in rows:
            estates = "all estates" if r["all_estates"] else ", ".join(r["estates"]) or "no estate"
            status = "active" if r["active"] else "inactive"
            click.echo(f"{r['username']:<20} {r['name']:<20} {status:<8} {', '.join(r['roles']):<32} {estates}")

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
            wide = sorted(r.name for r in user.roles if r.all_estates)
        if estates and wide:
            # Still created: the estates are recorded, but they do not narrow what the login sees.
            click.echo(f"Warning: {', '.join(wide)} already sees every estate; --estate "
                       f"{' --estate '.join(estates)} does not limit what {data['username']} sees", err=True)
        if as_json:
            echo_json(data)
        else:
            click.echo(f"created {data['username']} (roles: {', '.join(data['roles'])}; "
                       f"estates: {'all' if wide else ', '.join(data['estates']) or 'none'})")
