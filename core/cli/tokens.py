"""``wuye tokens create|list|revoke``: personal API tokens (stored hashed; shown once)."""

from __future__ import annotations

import click
from sqlalchemy import select

from core.cli import echo_json, pass_state


def register(cli: click.Group) -> None:
    @cli.group("tokens")
    def tokens():
        """Personal API tokens for /api/v1 (send as 'Authorization: Bearer <token>')."""

    @tokens.command("create")
    @click.argument("username")
    @click.option("--name", default="", help="What the token is for (shown in `wuye tokens list`).")
    @click.option("--expires-in-days", type=click.IntRange(1, 3650), default=None,
                  help="Expire after this many days (default: never).")
    @pass_state
    def create(state, username, name, expires_in_days):
        """Create a token for USERNAME; the token is printed once, alone on the last line."""
        from core.web.tokens import create_token

        with state.wuye.session() as s:
            row, clear = create_token(s, username, name=name, expires_in_days=expires_in_days)
            expires = row.expires_at.isoformat() if row.expires_at else "never"
            click.echo(f"token {row.id} for {username} (expires: {expires}); store it now, it is not shown again:")
        click.echo(clear)

    @tokens.command("list")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def list_(state, as_json):
        """List tokens (never their values)."""
        from core.models import StaffUser
        from core.web.models import ApiToken

        with state.wuye.session() as s:
            rows = [{"id": t.id, "user": u, "name": t.name, "created_at": t.created_at,
                     "last_used_at": t.last_used_at, "expires_at": t.expires_at, "revoked_at": t.revoked_at}
                    for t, u in s.execute(select(ApiToken, StaffUser.username)
                                          .join(StaffUser, StaffUser.id == ApiToken.user_id).order_by(ApiToken.id))]
        if as_json:
            echo_json(rows)
            return
        for r in rows:
            state_text = "revoked" if r["revoked_at"] else "active"
            click.echo(f"{r['id']:>5}  {r['user']:<20} {r['name']:<24} {state_text}")

    @tokens.command("revoke")
    @click.argument("token_id", type=int)
    @pass_state
    def revoke(state, token_id):
        """Revoke token TOKEN_ID (see `wuye tokens list`)."""
        from core.web.tokens import revoke as revoke_token

        with state.wuye.session() as s:
            revoke_token(s, token_id)
        click.echo(f"revoked token {token_id}")
