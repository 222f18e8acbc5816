"""Per-lineage migrations (DESIGN 6).

Core and every plugin form separate Alembic lineages, each with its own version table
(``alembic_version`` for core, ``alembic_version_<plugin>`` per plugin). They share core's
``env.py`` and script template; a plugin ships only ``migrations/*.py`` revisions.
``upgrade_all`` runs core, then enabled plugins in dependency order. Disabling a plugin never
touches the database; ``downgrade_lineage(..., "base")`` removes a plugin's tables explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from core.db import Base
from core.errors import DatabaseError

CORE_MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass
class Lineage:
    name: str  # "core" or a plugin name
    versions_dir: Path

    @property
    def version_table(self) -> str:
        return "alembic_version" if self.name == "core" else f"alembic_version_{self.name}"

    @property
    def table_prefix(self) -> str:
        return f"{self.name}_"


def lineages(wuye) -> list[Lineage]:
    """Core first, then each enabled plugin that ships migrations, in dependency order."""
    out = [Lineage("core", CORE_MIGRATIONS / "versions")]
    for name in wuye.order:
        directory = wuye.manifests[name].path / "migrations"
        if directory.is_dir():
            out.append(Lineage(name, directory))
    return out


def _alembic_config(lineage: Lineage, connection=None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(CORE_MIGRATIONS))
    cfg.set_main_option("version_locations", str(lineage.versions_dir))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["connection"] = connection
    cfg.attributes["lineage"] = lineage.name
    cfg.attributes["version_table"] = lineage.version_table
    return cfg


def _connect(engine: Engine):
    try:
        return engine.connect()
    except OperationalError as exc:
        url = engine.url.render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot connect to the database {url}: {reason}; check [core] database_url "
                            "in the config and that the server is running") from None


def head(lineage: Lineage) -> str | None:
    return ScriptDirectory.from_config(_alembic_config(lineage)).get_current_head()


def current(engine: Engine, lineage: Lineage) -> str | None:
    with _connect(engine) as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": lineage.version_table})
        return ctx.get_current_revision()


def upgrade_lineage(engine: Engine, lineage: Lineage, target: str = "head") -> None:
    with _connect(engine) as conn, conn.begin():
        command.upgrade(_alembic_config(lineage, conn), target)


def downgrade_lineage(engine: Engine, lineage: Lineage, target: str = "base") -> None:
    """Downgrade one lineage; at ``base`` its version table goes too, leaving no trace of it."""
    with _connect(engine) as conn, conn.begin():
        command.downgrade(_alembic_config(lineage, conn), target)
        if target == "base" and lineage.name != "core":
            conn.execute(text(f'DROP TABLE IF EXISTS "{lineage.version_table}"'))


def upgrade_all(wuye, engine: Engine | None = None, progress=None) -> list[tuple[str, str | None, str | None]]:
    """Bring core, then every enabled plugin, to head. Returns (lineage, before, after) triples."""
    engine = engine or wuye.engine
    done = []
    for lin in lineages(wuye):
        before = current(engine, lin)
        try:
            upgrade_lineage(engine, lin)
        except SQLAlchemyError as exc:
            raise DatabaseError(f"migrating '{lin.name}' failed: {exc.__class__.__name__}: "
                                f"{str(exc).splitlines()[0]}") from None
        after = current(engine, lin)
        done.append((lin.name, before, after))
        if progress:
            progress(lin.name, before, after)
    return done


def status(wuye, engine: Engine | None = None) -> list[dict]:
    """Each lineage's current and head revision."""
    engine = engine or wuye.engine
    return [{"lineage": lin.name, "current": current(engine, lin), "head": head(lin),
             "version_table": lin.version_table} for lin in lineages(wuye)]


def drift(wuye, engine: Engine | None = None) -> list[str]:
    """Lineages not at head, plus differences between the enabled lineages' models and the database."""
    engine = engine or wuye.engine
    problems = []
    for row in status(wuye, engine):
        if row["current"] != row["head"]:
            problems.append(f"{row['lineage']}: database at {row['current'] or 'base'}, head is {row['head']}; "
                            "run `wuye db upgrade`")
    return problems + schema_differences(wuye, engine)


def schema_differences(wuye, engine: Engine | None = None) -> list[str]:
    """Differences between the models of core and the enabled plugins and the database's tables."""
    engine = engine or wuye.engine
    prefixes = tuple(lin.table_prefix for lin in lineages(wuye))

    def include_object(obj, name, type_, reflected, compare_to):
        if type_ == "table":
            return name.startswith(prefixes)
        table = getattr(obj, "table", None)
        return table is None or table.name.startswith(prefixes)

    with _connect(engine) as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object, "compare_type": True})
        return [f"schema differs from the models: {_describe(d)}" for d in compare_metadata(ctx, Base.metadata)]


def _describe(diff) -> str:
    """One readable line per autogenerate difference, e.g. ``add_column keys_loans.purpose``."""
    if isinstance(diff, list):  # column modifications come grouped
        return "; ".join(_describe(d) for d in diff)
    kind, *rest = diff
    if kind in ("add_table", "remove_table"):
        return f"{kind} {rest[0].name}"
    if kind in ("add_column", "remove_column"):
        return f"{kind} {rest[1]}.{rest[2].name}"
    if kind in ("add_index", "remove_index", "add_constraint", "remove_constraint"):
        obj = rest[0]
        return f"{kind} {getattr(obj, 'name', obj)} on {obj.table.name}"
    if kind.startswith("modify_"):
        return f"{kind} {rest[1]}.{rest[2]}"
    return f"{kind} {rest!r}"


def tables_in_database(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def make_revision(wuye, plugin: str, message: str, autogenerate: bool = True) -> str:
    """Create a new revision file in ``plugin``'s lineage (``core`` for core). Returns its path."""
    lin = next((lin for lin in lineages(wuye) if lin.name == plugin), None)
    if lin is None:
        if plugin in wuye.manifests and plugin in wuye.order:
            lin = Lineage(plugin, wuye.manifests[plugin].path / "migrations")
            lin.versions_dir.mkdir(exist_ok=True)
        else:
            raise DatabaseError(f"'{plugin}' is not core or an enabled plugin; enable it first")
    with _connect(wuye.engine) as conn, conn.begin():
        cfg = _alembic_config(lin, conn)
        kwargs = {"branch_label": plugin} if head(lin) is None and plugin != "core" else {}
        script = command.revision(cfg, message=message, autogenerate=autogenerate,
                                  version_path=str(lin.versions_dir), **kwargs)
    return script.path


def unmigrated_plugins(wuye, engine=None) -> set[str]:
    """Enabled plugins that own tables but whose lineage has no revision applied (none written yet)."""
    behind = {row["lineage"] for row in status(wuye, engine) if row["current"] is None}
    return {name for name in wuye.order if name in behind or
            (wuye.registry.tables_of(name) and not (wuye.manifests[name].path / "migrations").is_dir())}
