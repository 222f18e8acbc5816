"""business calendar: calendar days, working schedules, pausable working-time deadlines

No rows are seeded: load the official holidays with `wuye calendar import core/data/calendar/cn-2026-2027.csv`.

Revision ID: core_0005
Revises: core_0004
Create Date: 2026-12-04 16:55:56.231124
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'core_0005'
down_revision: str | None = 'core_0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('core_calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=True, comment='NULL: company-wide; else this estate only'),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('holiday', 'workday', name='core_day_kind', native_enum=False, length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False, comment='e.g. 春节 Spring Festival'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_core_calendar_days_estate_id_core_estates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_calendar_days'))
    )
    with op.batch_alter_table('core_calendar_days', schema=None) as batch_op:
        batch_op.create_index('ix_core_calendar_days_day', ['day', 'estate_id'], unique=False)

    op.create_table('core_working_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=True, comment='NULL: the company default'),
    sa.Column('weekdays', sa.String(length=7), nullable=False, comment="ISO weekdays worked, Monday = 1: '12345' or '123456'"),
    sa.Column('hours', sa.String(length=120), nullable=False, comment="working spans of a day, e.g. '08:30-12:00 13:30-17:30'"),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_core_working_schedules_estate_id_core_estates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_working_schedules')),
    sa.UniqueConstraint('estate_id', name=op.f('uq_core_working_schedules_estate_id'))
    )
    with op.batch_alter_table('core_workflow_deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('working_time', sa.Boolean(), server_default=sa.false(), nullable=False, comment='counts working time of the business calendar'))
        batch_op.add_column(sa.Column('paused_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='set while the record waits for the owner'))
        batch_op.add_column(sa.Column('paused_seconds', sa.Integer(), server_default='0', nullable=False, comment='paused time so far (working seconds if working_time)'))



def downgrade() -> None:
    with op.batch_alter_table('core_workflow_deadlines', schema=None) as batch_op:
        batch_op.drop_column('paused_seconds')
        batch_op.drop_column('paused_at')
        batch_op.drop_column('working_time')

    op.drop_table('core_working_schedules')
    with op.batch_alter_table('core_calendar_days', schema=None) as batch_op:
        batch_op.drop_index('ix_core_calendar_days_day')

    op.drop_table('core_calendar_days')
