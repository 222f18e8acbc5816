"""``wuye roles list|grant|revoke``: roles and their grants.

A permission's ``default_roles`` are granted once, by the first ``wuye db upgrade`` that sees the
permission; from then on grants are the company's data, changed here or on the roles screen, and
upgrades never put a revoked grant back or take an added one away.
"""

from __future__ import annotations

import difflib

import click
from sqlalchemy import select

from core.cli import echo_json, pass_state
from core.errors import ValidationError


def _unknown(kind: str, names: list[str], known, fix: str) -> ValidationError:
    hints = []
    for name in names:
        close = difflib.get_close_matches(name, list(known), n=1)
        hints.append(f"'{name}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
    return ValidationError(f"unknown {kind} {', '.join(hints)}; {fix}", field=kind)


def change_grants(session, wuye, role_name: str, permissions: list[str], *, grant: bool) -> dict:
    """Grant (or revoke) ``permissions`` to the role ``role_name`` as the system; all or nothing.

    Every name is checked before anything changes. Returns which grants changed and which were
    already as asked.
    """
    from core.context import as_system
    from core.models import Role, RolePermission, SeededPermission
    from core.security import grants

    role = session.scalar(select(Role).where(Role.name == role_name))
    if role is None:
        if role_name in wuye.registry.roles:
            raise ValidationError(f"role '{role_name}' is not in the database yet; run `wuye db upgrade` first",
                                  field="role")
        raise _unknown("role", [role_name], wuye.registry.roles, "see `wuye roles list`")
    held = set(session.scalars(select(RolePermission.permission).where(RolePermission.role_id == role.id)))
    registered = wuye.registry.permissions
    # Revoking also accepts a grant left by a plugin that is no longer enabled.
    known = set(registered) | (held if not grant else set())
    unknown = [p for p in permissions if p not in known]
    if unknown:
        raise _unknown("permission", unknown, known,
                       "no enabled plugin registers it (see `wuye plugins info NAME`)")
    seeded = set(session.scalars(select(SeededPermission.permission)))
    unseeded = [p for p in permissions if p in registered and p not in seeded]
    if unseeded:
        # Its default grants come first, or the next upgrade would apply them over this change.
        raise ValidationError(f"the default grants of {', '.join(unseeded)} are not applied yet; run "
                              "`wuye db upgrade` first", field="permission")
    changed, unchanged = [], []
    with as_system(session):  # the command line is the system: no staff member to hold core.staff.manage
        for name in dict.fromkeys(permissions):
            done = (grants.grant(session, None, role.name, name) if grant
                    else grants.revoke(session, None, role.name, name))
            (changed if done else unchanged).append(name)
    session.flush()
    return {"role": role.name, "granted" if grant else "revoked": changed, "unchanged": unchanged}


def _report(result: dict, as_json: bool, verb: str, already: str) -> None:
    if as_json:
        echo_json(result)
        return
    changed = result[verb]
    parts = [f"{verb} {', '.join(changed)}" if changed else f"nothing {verb}"]
    if result["unchanged"]:
        parts.append(f"{already}: {', '.join(result['unchanged'])}")
    click.echo(f"{result['role']}: " + "; ".join(parts))


def register(cli: click.Group) -> None:
    @cli.group("roles")
    def roles():
        """Roles and their grants (default grants apply at the first upgrade; change them here after)."""

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

    @roles.command("grant")
    @click.argument("role")
    @click.argument("permissions", nargs=-1, required=True, metavar="PERMISSION...")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def grant(state, role, permissions, as_json):
        """Grant each PERMISSION (e.g. visitors.escort_out) to ROLE (e.g. guard).

        Nothing changes when a name is unknown. Upgrades keep the grant.
        """
        wuye = state.wuye
        with wuye.session() as s:
            result = change_grants(s, wuye, role, list(permissions), grant=True)
        _report(result, as_json, "granted", "already held")

    @roles.command("revoke")
    @click.argument("role")
    @click.argument("permissions", nargs=-1, required=True, metavar="PERMISSION...")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def revoke(state, role, permissions, as_json):
        """Take each PERMISSION away from ROLE; upgrades never grant it back.

        Nothing changes when a name is unknown.
        """
        wuye = state.wuye
        with wuye.session() as s:
            result = change_grants(s, wuye, role, list(permissions), grant=False)
        _report(result, as_json, "revoked", "not held")
