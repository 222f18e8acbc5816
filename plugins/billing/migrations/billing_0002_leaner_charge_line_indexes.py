"""charge lines: drop the two indexes others already serve; the (source, fee item) key is partial

Revision ID: billing_0002
Revises: billing_0001
Create Date: 2026-11-22 23:20:00

A billing run writes three lines per unit per month and each index costs every one of them:
``ix_billing_charge_lines_estate_id`` is the prefix of ``ix_billing_charge_lines_estate_period``,
``ix_billing_charge_lines_source`` the prefix of the (source, fee item) key, and that key only
matters for lines posted by other plugins, so it no longer indexes the run lines' empty source.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'billing_0002'
down_revision: str | None = 'billing_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 'uq_billing_charge_lines_source_fee_item_id'
HAS_SOURCE = sa.text('source IS NOT NULL')


def upgrade() -> None:
    with op.batch_alter_table('billing_charge_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_billing_charge_lines_estate_id')
        batch_op.drop_index('ix_billing_charge_lines_source')
        batch_op.drop_constraint(KEY, type_='unique')
    # outside the batch: on SQLite the batch recreates the table, and the partial index comes after it
    op.create_index(KEY, 'billing_charge_lines', ['source', 'fee_item_id'], unique=True,
                    postgresql_where=HAS_SOURCE, sqlite_where=HAS_SOURCE)


def downgrade() -> None:
    op.drop_index(KEY, table_name='billing_charge_lines')
    with op.batch_alter_table('billing_charge_lines', schema=None) as batch_op:
        batch_op.create_unique_constraint(KEY, ['source', 'fee_item_id'])
        batch_op.create_index('ix_billing_charge_lines_source', ['source'], unique=False)
        batch_op.create_index('ix_billing_charge_lines_estate_id', ['estate_id'], unique=False)
