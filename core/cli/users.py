"""``wuye users create``: staff logins."""

from __future__ import annotations

import sys

import click

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
