"""visit number, purpose and status

Revision ID: visitors_0002
Revises: visitors_0001
Create Date: 2026-12-04 13:56:20.238991
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'visitors_0002'
down_revision: str | None = 'visitors_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Visits registered before this revision need values in the new NOT NULL columns: the server
    # defaults fill them while the columns are added, then go (the models have none).
    with op.batch_alter_table('visitors_visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.String(length=32), nullable=False, server_default='', comment='VS-<year>-<n>, per estate'))
        batch_op.add_column(sa.Column('purpose', sa.String(length=200), nullable=False, server_default='', comment='来访事由'))
        batch_op.add_column(sa.Column('status', sa.String(length=32), nullable=False, server_default='inside'))
        batch_op.add_column(sa.Column('overstay_flagged_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='set by the job visitors.flag_overstays when the visitor stays too long'))
    op.execute("UPDATE visitors_visits SET status = 'left' WHERE left_at IS NOT NULL")
    op.execute("UPDATE visitors_visits SET number = 'VS-' || CAST(id AS VARCHAR(20))")
    with op.batch_alter_table('visitors_visits', schema=None) as batch_op:
        batch_op.alter_column('number', server_default=None)
        batch_op.alter_column('purpose', server_default=None)
        batch_op.alter_column('status', server_default=None)
        batch_op.create_index(batch_op.f('ix_visitors_visits_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_visitors_visits_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('visitors_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visitors_visits_status'))
        batch_op.drop_index(batch_op.f('ix_visitors_visits_number'))
        batch_op.drop_column('overstay_flagged_at')
        batch_op.drop_column('status')
        batch_op.drop_column('purpose')
        batch_op.drop_column('number')
