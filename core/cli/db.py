"""``wuye db upgrade|current|check|downgrade|revision``."""

from __future__ import annotations

import click

from core.cli import echo_json, pass_state
from core.errors import WuyeError


def register(cli: click.Group) -> None:
    @cli.group("db")
    def db():
        """Database schema: per-lineage migrations (core, then each plugin)."""

    @db.command("upgrade")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def upgrade(state, as_json):
        """Bring core and every enabled plugin to the newest schema."""
        from core import migrate

        wuye = state.wuye
        done = migrate.upgrade_all(wuye)
        from core.migrate import unmigrated_plugins
        from core.seed import seed_all

        with wuye.session() as s:
            seeded = seed_all(s, wuye, skip=unmigrated_plugins(wuye))
        if as_json:
            echo_json({"lineages": [{"lineage": n, "before": b, "after": a} for n, b, a in done],
                       "roles_seeded": seeded})
            return
        for name, before, after in done:
            change = "up to date" if before == after else f"{before or 'base'} -> {after}"
            click.echo(f"{name:<14} {change}")

    @db.command("current")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def current(state, as_json):
        """Show each lineage's revision in the database and its head."""
        from core import migrate

        rows = migrate.status(state.wuye)
        if as_json:
            echo_json(rows)
            return
        for r in rows:
            flag = "" if r["current"] == r["head"] else "  (behind: run `wuye db upgrade`)"
            click.echo(f"{r['lineage']:<14} {r['current'] or 'base'} (head {r['head']}){flag}")

    @db.command("check")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def check(state, as_json):
        """Compare the models with the database; exit 1 on any drift."""
        from core import migrate

        problems = migrate.drift(state.wuye)
        if as_json:
            echo_json({"ok": not problems, "problems": problems})
        elif not problems:
            click.echo("OK: the database matches the models of core and every enabled plugin")
        if problems:
            if not as_json:
                raise WuyeError("\n".join(f"- {p}" for p in problems))
            raise SystemExit(1)

    @db.command("downgrade")
    @click.argument("lineage")
    @click.option("--to", "target", default="base", show_default=True, help="Revision to go down to.")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    @pass_state
    def downgrade(state, lineage, target, yes):
        """Downgrade one plugin's lineage (to base: drops its tables, with a preview first)."""
        from core import migrate

        wuye = state.wuye
        lin = next((x for x in migrate.lineages(wuye) if x.name == lineage), None)
        if lin is None:
            raise WuyeError(f"'{lineage}' is not core or an enabled plugin with migrations")
        tables = sorted(t for t in migrate.tables_in_database(wuye.engine) if t.startswith(lin.table_prefix))
        click.echo(f"Downgrading '{lineage}' to {target}. Tables now present: {', '.join(tables) or '(none)'}")
        if not yes and not click.confirm("Continue? Data in dropped tables is lost", default=False):
            raise click.exceptions.Abort()
        migrate.downgrade_lineage(wuye.engine, lin, target)
        click.echo("done")

    @db.command("revision")
    @click.argument("lineage")
    @click.option("-m", "--message", required=True)
    @click.option("--empty", is_flag=True, help="Do not autogenerate from the models.")
    @pass_state
    def revision(state, lineage, message, empty):
        """Create a migration in LINEAGE (core or a plugin) from the difference between models and database."""
        from core import migrate

        click.echo(migrate.make_revision(state.wuye, lineage, message, autogenerate=not empty))
