"""prefix-search indexes for the admin search (units by room number, parties by name and phone)

Revision ID: core_0003
Revises: core_0002
Create Date: 2026-11-22 23:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'core_0003'
down_revision: str | None = 'core_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (index, table, column): lower(column) with text_pattern_ops on PostgreSQL (core.db.prefix_search_index)
INDEXES = (
    ("ix_core_units_room_no_prefix", "core_units", "room_no"),
    ("ix_core_parties_name_prefix", "core_parties", "name"),
    ("ix_core_parties_phone_prefix", "core_parties", "phone"),
)


def upgrade() -> None:
    for name, table, column in INDEXES:
        label = f"{column}_lower"
        op.create_index(name, table, [sa.func.lower(sa.column(column)).label(label)],
                        postgresql_ops={label: "text_pattern_ops"})


def downgrade() -> None:
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)
