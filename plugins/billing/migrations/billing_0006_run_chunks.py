"""billing run chunks for queued runs

Revision ID: billing_0006
Revises: billing_0005
Create Date: 2026-12-04 23:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'billing_0006'
down_revision: str | None = 'billing_0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('billing_runs',
    sa.Column('id', sa.Integer(), nullable=False, comment='row id'),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='estate billed'),
    sa.Column('period', sa.String(length=7), nullable=False, comment='period billed, YYYY-MM'),
    sa.Column('status', sa.String(length=16), nullable=False, comment='running or done'),
    sa.Column('posted_on', sa.Date(), nullable=False, comment='business day recorded on the lines'),
    sa.Column('chunks_total', sa.Integer(), nullable=False, comment='chunks of buildings in the run'),
    sa.Column('chunks_done', sa.Integer(), nullable=False, comment='chunks billed so far'),
    sa.Column('lines_created', sa.Integer(), nullable=False, comment="lines the run's chunks created"),
    sa.Column('lines_existing', sa.Integer(), nullable=False, comment='lines that existed before'),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False, comment='total of the lines created, in fen'),
    sa.Column('summary', sa.JSON(), nullable=False, comment='late fees and prepaid applied at the end'),
    sa.Column('created_by_id', sa.Integer(), nullable=True, comment='who started it; NULL: the system'),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when it was queued (UTC)'),
    sa.Column('finished_at', core.db.UTCDateTime(timezone=True), nullable=True,
              comment='when its last chunk was billed (UTC)'),
    sa.ForeignKeyConstraint(['created_by_id'], ['core_staff_users.id'],
                            name=op.f('fk_billing_runs_created_by_id_core_staff_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_billing_runs_estate_id_core_estates'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_runs'))
    )
    with op.batch_alter_table('billing_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billing_runs_estate_id'), ['estate_id'], unique=False)

    op.create_table('billing_run_chunks',
    sa.Column('id', sa.Integer(), nullable=False, comment='row id'),
    sa.Column('run_id', sa.Integer(), nullable=False, comment='the run'),
    sa.Column('seq', sa.Integer(), nullable=False, comment='position in the run, from 1'),
    sa.Column('building_ids', sa.JSON(), nullable=False, comment="ids of the chunk's buildings"),
    sa.Column('units', sa.Integer(), nullable=False, comment="units in the chunk's buildings"),
    sa.Column('status', sa.String(length=16), nullable=False, comment='queued or done'),
    sa.Column('task_id', sa.Integer(), nullable=True, comment='the core_task_runs row last queued for it'),
    sa.Column('lines_created', sa.Integer(), nullable=False, comment='lines the chunk created'),
    sa.Column('lines_existing', sa.Integer(), nullable=False, comment='lines of its units that existed before'),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False, comment='total of the lines created, in fen'),
    sa.Column('finished_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when it was billed (UTC)'),
    sa.ForeignKeyConstraint(['run_id'], ['billing_runs.id'], name=op.f('fk_billing_run_chunks_run_id_billing_runs'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_run_chunks')),
    sa.UniqueConstraint('run_id', 'seq', name=op.f('uq_billing_run_chunks_run_id_seq'))
    )
    with op.batch_alter_table('billing_run_chunks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billing_run_chunks_run_id'), ['run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('billing_run_chunks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billing_run_chunks_run_id'))
    op.drop_table('billing_run_chunks')
    with op.batch_alter_table('billing_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billing_runs_estate_id'))
    op.drop_table('billing_runs')
