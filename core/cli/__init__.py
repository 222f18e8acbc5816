"""The ``wuye`` command line (DESIGN 11).

The CLI boots Wuye from the config before parsing commands, so enabled plugins can add their own
(``wuye billing run``). When booting fails, the core commands still work and report the problems
(``wuye plugins check`` lists them all) instead of a traceback.
"""

from __future__ import annotations

import json
import sys

import click

from core.config import load_config
from core.errors import WuyeError


class State:
    """Lazily booted instance shared by all commands through ``click.Context.obj``."""

    def __init__(self, config_path: str | None):
        self.config_path = config_path
        self._wuye = None

    @property
    def config(self):
        return load_config(self.config_path)

    @property
    def wuye(self):
        if self._wuye is None:
            from core.runtime import Wuye

            self._wuye = Wuye.boot(self.config)
        return self._wuye


pass_state = click.make_pass_decorator(State)


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _config_from_argv(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--config="):
            return arg.split("=", 1)[1]
    return None


# Modules of core commands; each has register(cli). Plugins add theirs through wuye_cli_commands.
CORE_COMMAND_MODULES = ("plugins_cmd", "scaffold", "db", "users", "estates", "roles", "importer", "demo", "serve", "jobs",
                        "tokens", "calendar", "documents", "queue")


def build_cli(state: State | None = None) -> click.Group:
    """Build the command group; plugin commands are added when the instance boots."""

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--config", "config_path", metavar="FILE", envvar="WUYE_CONFIG",
                  help="Configuration file (default: $WUYE_CONFIG, then ./wuye.toml).")
    @click.version_option(package_name="wuye")
    @click.pass_context
    def cli(ctx, config_path):
        """Wuye (物业): modular property management.

        Start with `wuye demo`, or `wuye db upgrade` on your own configuration.
        """
        if ctx.obj is None:
            ctx.obj = State(config_path)

    import importlib

    for name in CORE_COMMAND_MODULES:
        importlib.import_module(f"core.cli.{name}").register(cli)

    if state is not None:
        try:
            wuye = state.wuye
        except WuyeError:
            wuye = None  # reported by the command that needs it
        if wuye is not None:
            wuye.hook.wuye_cli_commands(cli=cli)
    return cli


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    state = State(_config_from_argv(argv) or None)
    try:
        cli = build_cli(state)
        cli.main(args=argv, prog_name="wuye", obj=state, standalone_mode=False)
    except WuyeError as exc:
        click.echo(f"Error: {exc.message}" if "\n" not in exc.message else f"Error:\n{exc.message}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
