"""``wuye demo``: a fresh SQLite instance with realistic demo data, then serve it."""

from __future__ import annotations

import secrets
from pathlib import Path

import click

from core.cli import State
from core.errors import WuyeError


def demo_config_text(db_path: Path, enabled: list[str]) -> str:
    enabled_list = ", ".join(f'"{n}"' for n in enabled)
    return (
        "# Written by `wuye demo`. Serve this instance again with:\n"
        f"#   WUYE_CONFIG={db_path.parent / 'wuye.toml'} wuye serve\n"
        "[core]\n"
        f'database_url = "sqlite:///{db_path.as_posix()}"\n'
        f'secret_key = "{secrets.token_hex(32)}"\n'
        'locale = "zh_CN"\n'
        'timezone = "Asia/Shanghai"\n\n'
        "[plugins]\n"
        f"enabled = [{enabled_list}]\n"
    )


def register(cli: click.Group) -> None:
    @cli.command("demo")
    @click.option("--path", "path", default="instance", show_default=True, type=click.Path(file_okay=False),
                  help="Directory for the demo database and its wuye.toml.")
    @click.option("--no-serve", is_flag=True, help="Set up only; do not start the web server.")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True, type=int)
    @click.option("--reset", is_flag=True, help="Delete an existing demo database in DIR first.")
    @click.pass_context
    def demo(ctx, path, no_serve, host, port, reset):
        """Create a demo instance on SQLite (two estates, owners, staff of each role) and serve it."""
        from core import migrate
        from core.demo import build_demo, demo_logins
        from core.host import discover
        from core.seed import seed_all

        directory = Path(path).resolve()
        db_path = directory / "wuye.sqlite3"
        config_path = directory / "wuye.toml"
        if db_path.exists():
            if not reset:
                raise WuyeError(f"{db_path} already exists: serve it with `WUYE_CONFIG={config_path} wuye serve`, "
                                "or pass --reset to recreate the demo")
            for suffix in ("", "-wal", "-shm"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
        directory.mkdir(parents=True, exist_ok=True)
        enabled = sorted(n for n, m in discover().items() if m.source == "in-tree")
        config_path.write_text(demo_config_text(db_path, enabled), encoding="utf-8")
        state = State(str(config_path))
        wuye = state.wuye
        with click.progressbar(length=3, label="Setting up the demo") as bar:
            migrate.upgrade_all(wuye)
            bar.update(1)
            with wuye.session() as s:
                seed_all(s, wuye)
            bar.update(1)
            with wuye.session() as s:
                summary = build_demo(wuye, s)
            bar.update(1)
        click.echo(f"Demo instance in {directory} (estates: {', '.join(summary['estates'])}; "
                   f"plugins: {', '.join(wuye.order) or 'none'})")
        click.echo("Logins (username / password / role):")
        for username, password, role in demo_logins(wuye.registry):
            click.echo(f"  {username:<26} {password:<10} {role}")
        click.echo(f"Serve it again later with: WUYE_CONFIG={config_path} wuye serve")
        if not no_serve:
            from core.cli.serve import run_server

            run_server(wuye, host, port)
