"""unit delivery: notice and deemed delivery

Revision ID: core_0015
Revises: core_0014
Create Date: 2026-12-04 23:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'core_0015'
down_revision: str | None = 'core_0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('core_units') as batch:
        batch.add_column(sa.Column('notified_on', sa.Date(), nullable=True,
                                   comment='move-in notice (入伙通知) date'))


def downgrade() -> None:
    with op.batch_alter_table('core_units') as batch:
        batch.drop_column('notified_on')
