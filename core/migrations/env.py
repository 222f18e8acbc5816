"""Alembic environment shared by every lineage (core and each plugin).

``core.migrate`` passes the connection, the lineage name and its version table through
``config.attributes``; a plugin ships only its revisions, never an env.py of its own.
"""

from alembic import context

from core.db import Base

config = context.config
connection = config.attributes["connection"]
lineage = config.attributes["lineage"]
version_table = config.attributes["version_table"]
prefix = "core_" if lineage == "core" else f"{lineage}_"


def include_object(obj, name, type_, reflected, compare_to):
    # Autogenerate and compare only this lineage's tables: other plugins' tables (and the other
    # lineages' version tables) are none of its business.
    if type_ == "table":
        return name.startswith(prefix) and not name.startswith("alembic_version")
    table = getattr(obj, "table", None)
    if table is not None:
        return table.name.startswith(prefix)
    return True


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=version_table,
    include_object=include_object,
    render_as_batch=True,  # SQLite needs table rebuilds for most ALTERs
    compare_type=True,
)

with context.begin_transaction():
    context.run_migrations()
