"""``wuye plugins new NAME``: write a working plugin skeleton (see ``core.scaffold``)."""

from __future__ import annotations

from pathlib import Path

import click

from core.cli import echo_json


def _next_steps(lay) -> list[str]:
    name = lay.name
    if lay.distribution:
        install = [f"cd {lay.root}", "pip install -e .                 # registers the wuye.plugins entry point"]
    elif lay.standalone:
        install = [f"# add {lay.root.name}/ to a distribution with the entry point {name} = \"{lay.package}\" "
                   "(or rerun with --package)"]
    else:
        install = []
    return [*install,
            f"# add \"{name}\" to [plugins] enabled in wuye.toml, then:",
            "wuye plugins check && wuye db upgrade && wuye db check",
            f"pytest {lay.tests_dir / lay.test_file}",
            f"# after changing models.py: wuye db revision {name} -m \"what changed\""]


def register(cli: click.Group) -> None:
    plugins = cli.commands["plugins"]

    @plugins.command("new")
    @click.argument("name")
    @click.option("--path", "directory", type=click.Path(file_okay=False, path_type=Path),
                  help="Where to write it (default: ./plugins when it exists, else the current directory; "
                       "with --package, the current directory).")
    @click.option("--package", is_flag=True,
                  help="Write a standalone distribution wuye-NAME/ (pyproject.toml with the wuye.plugins entry point).")
    @click.option("--title", help="English title for menus (default: from NAME).")
    @click.option("--title-zh", help="Chinese title (default: the English one; translate it).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def new(name, directory, package, title, title_zh, as_json):
        """Create plugin NAME: manifest, model, schema, workflow, permissions, job, admin view, API
        resource, services, demo data, its first migration and a test, in the plugin anatomy.

        NAME is lowercase letters, digits and '_' ([a-z][a-z0-9_]*); it must not be an installed
        plugin's name nor share a table prefix with one (keys / keys_extra). Nothing is written
        when it is refused.
        """
        from core.scaffold import new_plugin

        lay, files = new_plugin(name, directory, package=package, title=title, title_zh=title_zh)
        if as_json:
            echo_json({"name": name, "package": lay.package, "root": str(lay.root),
                       "files": [str(f) for f in files], "next": _next_steps(lay)})
            return
        click.echo(f"created plugin '{name}' (package {lay.package}) in {lay.root}:")
        for f in files:
            click.echo(f"  {f}")
        click.echo("next:")
        for step in _next_steps(lay):
            click.echo(f"  {step}")
