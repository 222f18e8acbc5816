"""job queue: task runs and failed tasks

Revision ID: core_0014
Revises: core_0013
Create Date: 2026-12-04 23:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'core_0014'
down_revision: str | None = 'core_0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('core_task_runs',
    sa.Column('id', sa.Integer(), nullable=False, comment='row id'),
    sa.Column('name', sa.String(length=120), nullable=False, comment='task name, e.g. billing.run_chunk'),
    sa.Column('module', sa.String(length=200), nullable=False, comment='module that defines the task'),
    sa.Column('params', sa.JSON(), nullable=False, comment="the task's keyword arguments (JSON)"),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', 'lost', name='core_task_status',
                                native_enum=False, length=16), nullable=False,
              comment='queued, running, done, failed or lost'),
    sa.Column('attempts', sa.Integer(), nullable=False, comment='attempts started so far'),
    sa.Column('max_attempts', sa.Integer(), nullable=False, comment='attempts before it lands in the failed list'),
    sa.Column('error', sa.Text(), nullable=False, comment="the last attempt's error"),
    sa.Column('result', sa.JSON(), nullable=False, comment='the summary the task returned'),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when it was queued (UTC)'),
    sa.Column('started_at', core.db.UTCDateTime(timezone=True), nullable=True,
              comment='start of the last attempt (UTC)'),
    sa.Column('finished_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='end of the last attempt (UTC)'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_task_runs'))
    )
    with op.batch_alter_table('core_task_runs', schema=None) as batch_op:
        batch_op.create_index('ix_core_task_runs_status', ['status', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('core_task_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_core_task_runs_status')

    op.drop_table('core_task_runs')
