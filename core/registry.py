"""The merged registry: what every enabled plugin contributed, with duplicates rejected."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pluggy

from core.db import Base


@dataclass
class Registry:
    """Everything plugins contributed, keyed by name; ``owner`` maps each name to its plugin."""

    models: dict[str, type] = field(default_factory=dict)  # table name -> mapped class
    table_owner: dict[str, str] = field(default_factory=dict)  # table name -> plugin ("core" for core)
    permissions: dict[str, Any] = field(default_factory=dict)
    permission_owner: dict[str, str] = field(default_factory=dict)
    roles: dict[str, Any] = field(default_factory=dict)
    workflows: dict[str, Any] = field(default_factory=dict)
    workflow_owner: dict[str, str] = field(default_factory=dict)
    jobs: dict[str, Any] = field(default_factory=dict)
    job_owner: dict[str, str] = field(default_factory=dict)
    plugin_settings: dict[str, dict] = field(default_factory=dict)

    def tables_of(self, plugin: str) -> list[str]:
        return sorted(t for t, o in self.table_owner.items() if o == plugin)


def call_each(pm: pluggy.PluginManager, hook_name: str, order: list[str], **kwargs) -> list[tuple[str, Any]]:
    """Call one hook on each plugin separately, in ``order`` (core first), keeping who returned what.

    pluggy's own call merges results anonymously and in reverse registration order; the host
    needs the contributing plugin to check prefixes and to name both sides of a duplicate.
    """
    rank = {name: i for i, name in enumerate(["core", *order])}
    impls = sorted(getattr(pm.hook, hook_name).get_hookimpls(), key=lambda i: rank.get(i.plugin_name, 1_000_000))
    out = []
    for impl in impls:
        args = {k: kwargs[k] for k in impl.argnames}
        result = impl.function(**args)
        if result is not None:
            out.append((impl.plugin_name, result))
    return out


def _prefix_ok(plugin: str, name: str, sep: str) -> bool:
    return name.startswith(plugin + sep)


def build_registry(pm: pluggy.PluginManager, order: list[str], problems: list[str]) -> Registry:
    """Call the registration hooks and merge their results, collecting every conflict."""
    reg = Registry()

    for plugin, classes in call_each(pm, "wuye_register_models", order):
        for cls in classes:
            table = getattr(cls, "__tablename__", None)
            if table is None or not issubclass(cls, Base):
                problems.append(f"plugin '{plugin}': {cls!r} is not a model mapped on core.Base")
                continue
            if not _prefix_ok(plugin, table, "_"):
                problems.append(f"plugin '{plugin}': table '{table}' must start with '{plugin}_' "
                                "(a plugin owns only tables named after it)")
                continue
            if table in reg.table_owner and reg.models[table] is not cls:
                problems.append(f"table '{table}' is registered by both '{reg.table_owner[table]}' and '{plugin}'")
                continue
            reg.models[table] = cls
            reg.table_owner[table] = plugin
        # association tables of the plugin (no class) belong to it too
        for table in Base.metadata.tables:
            if table.startswith(plugin + "_") and table not in reg.table_owner:
                reg.table_owner[table] = plugin

    for plugin, perms in call_each(pm, "wuye_register_permissions", order):
        for perm in perms:
            if not _prefix_ok(plugin, perm.name, "."):
                problems.append(f"plugin '{plugin}': permission '{perm.name}' must start with '{plugin}.'")
            elif perm.name in reg.permissions:
                problems.append(f"permission '{perm.name}' is registered by both "
                                f"'{reg.permission_owner[perm.name]}' and '{plugin}'")
            else:
                reg.permissions[perm.name] = perm
                reg.permission_owner[perm.name] = plugin

    for plugin, roles in call_each(pm, "wuye_register_roles", order):
        for role in roles:
            if role.name in reg.roles:
                problems.append(f"role '{role.name}' is registered twice (again by '{plugin}'); "
                                "grant permissions to the existing role instead")
            else:
                reg.roles[role.name] = role

    for plugin, flows in call_each(pm, "wuye_register_workflows", order):
        for wf in flows:
            if wf.name in reg.workflows:
                problems.append(f"workflow '{wf.name}' is registered by both '{reg.workflow_owner[wf.name]}' "
                                f"and '{plugin}'")
            else:
                reg.workflows[wf.name] = wf
                reg.workflow_owner[wf.name] = plugin

    for plugin, jobs in call_each(pm, "wuye_scheduled_jobs", order):
        for job in jobs:
            if plugin != "core" and not _prefix_ok(plugin, job.name, "."):
                problems.append(f"plugin '{plugin}': job '{job.name}' must start with '{plugin}.'")
            elif job.name in reg.jobs:
                problems.append(f"job '{job.name}' is registered by both '{reg.job_owner[job.name]}' and '{plugin}'")
            else:
                reg.jobs[job.name] = job
                reg.job_owner[job.name] = plugin
    return reg
