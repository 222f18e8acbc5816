"""keys: an owner's agent with a power of attorney (受托人, 业主委托书) on the lending register

Revision ID: keys_0002
Revises: keys_0001
Create Date: 2026-12-04 23:55:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'keys_0002'
down_revision: str | None = 'keys_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('keys_loans', schema=None) as batch_op:
        # server default only so existing lines get "not by an agent"; the model sets it on insert
        batch_op.add_column(sa.Column('by_agent', sa.Boolean(), nullable=False, server_default=sa.false(),
                                      comment="受托人代领/代借: the borrower is the owner's agent with a power of attorney"))
        batch_op.add_column(sa.Column('power_of_attorney_id', sa.Integer(), nullable=True,
                                      comment='the owner\'s power of attorney (业主委托书) on file'))
        batch_op.create_foreign_key(batch_op.f('fk_keys_loans_power_of_attorney_id_core_attachments'),
                                    'core_attachments', ['power_of_attorney_id'], ['id'], ondelete='RESTRICT')


def downgrade() -> None:
    with op.batch_alter_table('keys_loans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_keys_loans_power_of_attorney_id_core_attachments'), type_='foreignkey')
        batch_op.drop_column('power_of_attorney_id')
        batch_op.drop_column('by_agent')
