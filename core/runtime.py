"""Booting Wuye: config → plugins → registry → database. Shared by the CLI, the web app and tests."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pluggy
from marshmallow import ValidationError as MmValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from core.config import Config
from core.context import wuye_of  # noqa: F401  (re-exported: older imports)
from core.db import make_engine, make_sessionmaker
from core.errors import DatabaseError, PluginError
from core.host import Manifest, discover, load_plugins, resolve
from core.registry import Registry, build_registry, call_each


@dataclass
class Wuye:
    """A booted instance: validated config, enabled plugins in order, their hooks and registry."""

    config: Config
    manifests: dict[str, Manifest]
    order: list[str]
    pm: pluggy.PluginManager
    registry: Registry
    _engine: Engine | None = field(default=None, repr=False)
    _sessions: sessionmaker | None = field(default=None, repr=False)

    @classmethod
    def boot(cls, config: Config, *, search: list[tuple[Path, str]] | None = None,
             use_entry_points: bool = True) -> Wuye:
        """Run the startup pipeline; raise one ``PluginError`` with every problem found."""
        problems: list[str] = []
        manifests = discover(search, use_entry_points=use_entry_points, problems=problems)
        order = resolve(manifests, config.enabled, problems)
        if problems:
            raise PluginError(problems)
        pm = load_plugins(manifests, order, problems)
        if problems:
            raise PluginError(problems)
        registry = build_registry(pm, order, problems)
        wuye = cls(config=config, manifests=manifests, order=order, pm=pm, registry=registry)
        wuye._validate_plugin_settings(problems)
        # Later stages (workflow merging and validation, job schedules, a plugin's own checks) are
        # implementations of wuye_startup, so the host never imports the layers built on top of it.
        pm.hook.wuye_startup(wuye=wuye, problems=problems)
        if problems:
            raise PluginError(problems)
        return wuye

    # --- plugin config sections -------------------------------------------------------------
    def _validate_plugin_settings(self, problems: list[str]) -> None:
        where = self.config.source
        schemas = dict(call_each(self.pm, "wuye_config_schema", self.order))
        for name in self.config.plugin_settings:
            if name not in self.manifests:
                problems.append(f"{where}: section [plugins.{name}] is for a plugin that is not installed; remove it")
        for name in self.order:
            raw = self.config.plugin_settings.get(name, {})
            schema = schemas.get(name)
            if schema is None:
                if raw:
                    keys = ", ".join(sorted(raw))
                    problems.append(f"{where}: [plugins.{name}] has unknown key(s) {keys}: plugin '{name}' takes no settings")
                self.registry.plugin_settings[name] = {}
                continue
            try:
                self.registry.plugin_settings[name] = schema.load(raw)
            except MmValidationError as exc:
                for key, msgs in exc.messages.items():
                    msg = "; ".join(map(str, msgs)) if isinstance(msgs, list) else str(msgs)
                    if msg == "Unknown field.":
                        msg = "unknown key: remove it or check its spelling (see config.example.toml)"
                    problems.append(f"{where}: [plugins.{name}] '{key}': {msg}")

    def settings(self, plugin: str) -> dict:
        """The validated ``[plugins.<plugin>]`` section (defaults filled in)."""
        return self.registry.plugin_settings.get(plugin, {})

    # --- database ---------------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        if self._engine is None:
            try:
                self._engine = make_engine(self.config.database_url)
            except (ArgumentError, NoSuchModuleError, ImportError) as exc:
                raise DatabaseError(
                    f"{self.config.source}: [core] database_url {self.config.database_url!r} cannot be used "
                    f"({exc}); use sqlite:///path/to/wuye.sqlite3 or postgresql+psycopg://user@host:5432/dbname"
                ) from None
        return self._engine

    def use_engine(self, engine: Engine) -> None:
        """Bind this instance to an existing engine (tests, benchmarks)."""
        self._engine = engine
        self._sessions = None

    @property
    def sessions(self) -> sessionmaker[Session]:
        if self._sessions is None:
            self._sessions = make_sessionmaker(self.engine)
            self._sessions.configure(info={"wuye": self})
        return self._sessions

    @contextmanager
    def session(self):
        """A session in a transaction: committed on success, rolled back on error."""
        with self.sessions() as s, s.begin():
            yield s

    @property
    def hook(self):
        return self.pm.hook

    def call_each(self, hook_name: str, **kwargs):
        return call_each(self.pm, hook_name, self.order, **kwargs)

    def is_enabled(self, plugin: str) -> bool:
        return plugin in self.order
