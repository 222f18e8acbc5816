"""phone-tail index for the top-bar search (parties by the last digits of their phone), PostgreSQL only

Revision ID: core_0006
Revises: core_0005
Create Date: 2026-12-04 17:20:00

The number is the one reserved for the workplace search; it follows core_0006 (the business calendar),
which was written first.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'core_0006'
down_revision: str | None = 'core_0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_core_parties_phone_tail"


def upgrade() -> None:
    # reverse(phone) LIKE '8765%' finds phones ending in 5678 through this index; SQLite has no
    # reverse(), and its planner would not use such an index for LIKE anyway.
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_index(NAME, "core_parties", [sa.func.reverse(sa.column("phone")).label("phone_reversed")],
                    postgresql_ops={"phone_reversed": "text_pattern_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(NAME, table_name="core_parties")
