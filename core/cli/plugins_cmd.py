"""``wuye plugins list|check|info`` (``wuye plugins new`` is in ``core.cli.scaffold``)."""

from __future__ import annotations

import click

from core.cli import echo_json, pass_state
from core.errors import PluginError, WuyeError


def register(cli: click.Group) -> None:
    @cli.group("plugins")
    def plugins():
        """Installed plugins: list, check, info; new writes the skeleton of a new one."""

    @plugins.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_state
    def list_(state, as_json):
        """List installed plugins, marking the enabled ones."""
        from core.host import discover

        cfg = state.config
        problems: list[str] = []
        manifests = discover(problems=problems)
        rows = [m.to_dict(enabled=name in cfg.enabled) for name, m in sorted(manifests.items())]
        if as_json:
            echo_json(rows)
        else:
            for r in rows:
                mark = "*" if r["enabled"] else " "
                deps = ", ".join(r["depends"]) or "-"
                click.echo(f"{mark} {r['name']:<14} {r['version']:<8} {r['chapter']:<10} depends: {deps:<20} "
                           f"[{r['source']}] {r['title']}")
            click.echo("(* = enabled)")
        if problems:
            raise PluginError(problems)

    @plugins.command("check")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_state
    def check(state, as_json):
        """Validate manifests, dependencies, hooks and registrations; exit 1 listing every problem."""
        try:
            wuye = state.wuye
        except PluginError as exc:
            if as_json:
                echo_json({"ok": False, "problems": exc.problems})
                raise SystemExit(1) from None
            raise PluginError(exc.problems) from None
        if as_json:
            echo_json({"ok": True, "order": wuye.order})
        else:
            click.echo(f"OK: {len(wuye.order)} plugin(s) enabled, in order: {', '.join(wuye.order) or '(none)'}")

    @plugins.command("info")
    @click.argument("name")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_state
    def info(state, name, as_json):
        """Show one plugin's manifest and, when enabled, what it contributes."""
        from core.host import discover

        cfg = state.config
        manifests = discover(problems=[])
        if name not in manifests:
            raise WuyeError(f"no plugin named '{name}' is installed; see `wuye plugins list`")
        data = manifests[name].to_dict(enabled=name in cfg.enabled)
        data["path"] = str(manifests[name].path)
        if name in cfg.enabled:
            reg = state.wuye.registry
            data["tables"] = reg.tables_of(name)
            data["permissions"] = sorted(p for p, o in reg.permission_owner.items() if o == name)
            data["workflows"] = sorted(w for w, o in reg.workflow_owner.items() if o == name)
            data["jobs"] = sorted(j for j, o in reg.job_owner.items() if o == name)
        if as_json:
            echo_json(data)
            return
        for key, val in data.items():
            if isinstance(val, list):
                val = ", ".join(val) or "-"
            click.echo(f"{key:>12}: {val}")
