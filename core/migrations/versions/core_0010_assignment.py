"""teams, dispatch rules, assignments and the escalation chain

Revision ID: core_0010
Revises: core_0009
Create Date: 2026-12-04 20:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'core_0010'
down_revision: str | None = 'core_0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MODES = ('assign', 'grab', 'round_robin', 'reassign')


def upgrade() -> None:
    op.create_table('core_teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='the estate the team works in'),
    sa.Column('name', sa.String(length=120), nullable=False, comment='e.g. 水电班 plumbing and electrics'),
    sa.Column('kind', sa.String(length=64), nullable=False, comment='department or trade, e.g. engineering'),
    sa.Column('supervisor_id', sa.Integer(), nullable=True, comment='the team\'s supervisor (班长)'),
    sa.Column('active', sa.Boolean(), nullable=False, comment='inactive teams get no new records'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_core_teams_estate_id_core_estates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supervisor_id'], ['core_staff_users.id'], name=op.f('fk_core_teams_supervisor_id_core_staff_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_teams')),
    sa.UniqueConstraint('estate_id', 'name', name=op.f('uq_core_teams_estate_id_name'))
    )
    with op.batch_alter_table('core_teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_teams_estate_id'), ['estate_id'], unique=False)

    op.create_table('core_team_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False, comment='the team'),
    sa.Column('staff_id', sa.Integer(), nullable=False, comment='the member'),
    sa.Column('position', sa.Integer(), nullable=False, comment='order in the round robin (lowest first)'),
    sa.Column('active', sa.Boolean(), nullable=False, comment='inactive members (on leave) are skipped'),
    sa.ForeignKeyConstraint(['staff_id'], ['core_staff_users.id'], name=op.f('fk_core_team_members_staff_id_core_staff_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['core_teams.id'], name=op.f('fk_core_team_members_team_id_core_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_team_members')),
    sa.UniqueConstraint('team_id', 'staff_id', name=op.f('uq_core_team_members_team_id_staff_id'))
    )
    with op.batch_alter_table('core_team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_team_members_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_team_members_team_id'), ['team_id'], unique=False)

    op.create_table('core_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_table', sa.String(length=120), nullable=False, comment='table of the record, e.g. repairs_orders'),
    sa.Column('record_id', sa.Integer(), nullable=False, comment='primary key of the record'),
    sa.Column('estate_id', sa.Integer(), nullable=True, comment="the record's estate"),
    sa.Column('assignee_id', sa.Integer(), nullable=True, comment='the handler; null: offered to the team'),
    sa.Column('team_id', sa.Integer(), nullable=True, comment='the team handling it'),
    sa.Column('mode', sa.Enum(*MODES, name='core_assignment_mode', native_enum=False, length=16), nullable=False, comment='how it was assigned'),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True, comment='who assigned it; null: the system'),
    sa.Column('assigned_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when (UTC)'),
    sa.Column('ended_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when it was superseded or released; null: current'),
    sa.Column('reason', sa.String(length=500), nullable=False, comment='why (required when reassigning)'),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['core_staff_users.id'], name=op.f('fk_core_assignments_assigned_by_id_core_staff_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assignee_id'], ['core_staff_users.id'], name=op.f('fk_core_assignments_assignee_id_core_staff_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_core_assignments_estate_id_core_estates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['core_teams.id'], name=op.f('fk_core_assignments_team_id_core_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_assignments'))
    )
    with op.batch_alter_table('core_assignments', schema=None) as batch_op:
        batch_op.create_index('ix_core_assignments_assignee', ['assignee_id', 'ended_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_assignments_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index('ix_core_assignments_record', ['record_table', 'record_id', 'ended_at'], unique=False)
        batch_op.create_index('ix_core_assignments_team', ['team_id', 'ended_at'], unique=False)

    op.create_table('core_dispatch_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='the estate the rule applies to'),
    sa.Column('category', sa.String(length=120), nullable=False, comment='e.g. repairs.plumbing, or repairs for all repairs'),
    sa.Column('mode', sa.Enum(*MODES, name='core_dispatch_mode', native_enum=False, length=16), nullable=False, comment='assign, grab or round_robin'),
    sa.Column('team_id', sa.Integer(), nullable=True, comment='the team records go to (grab, round robin)'),
    sa.Column('default_assignee_id', sa.Integer(), nullable=True, comment='mode assign: the usual handler'),
    sa.Column('last_assignee_id', sa.Integer(), nullable=True, comment='round robin: who got the last one'),
    sa.ForeignKeyConstraint(['default_assignee_id'], ['core_staff_users.id'], name=op.f('fk_core_dispatch_rules_default_assignee_id_core_staff_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_core_dispatch_rules_estate_id_core_estates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['last_assignee_id'], ['core_staff_users.id'], name=op.f('fk_core_dispatch_rules_last_assignee_id_core_staff_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['core_teams.id'], name=op.f('fk_core_dispatch_rules_team_id_core_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_dispatch_rules')),
    sa.UniqueConstraint('estate_id', 'category', name=op.f('uq_core_dispatch_rules_estate_id_category'))
    )
    with op.batch_alter_table('core_dispatch_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_dispatch_rules_estate_id'), ['estate_id'], unique=False)

    with op.batch_alter_table('core_workflow_deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain', sa.String(length=400), server_default='', nullable=False, comment="escalation chain 'role:minutes after due' comma separated; empty: escalate_to at due time"))
        batch_op.add_column(sa.Column('escalation_level', sa.Integer(), server_default='0', nullable=False, comment='escalation levels done so far (0: not escalated)'))
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True, comment='who held the record (its assignee); frozen once it breached'))
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True, comment='the team holding the record; frozen once it breached'))
        batch_op.create_foreign_key(batch_op.f('fk_core_workflow_deadlines_assignee_id_core_staff_users'), 'core_staff_users', ['assignee_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_core_workflow_deadlines_team_id_core_teams'), 'core_teams', ['team_id'], ['id'], ondelete='SET NULL')
    # Deadlines escalated before the chain existed have done their one level.
    op.execute("UPDATE core_workflow_deadlines SET escalation_level = 1 WHERE escalated_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('core_workflow_deadlines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_core_workflow_deadlines_team_id_core_teams'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_core_workflow_deadlines_assignee_id_core_staff_users'), type_='foreignkey')
        batch_op.drop_column('team_id')
        batch_op.drop_column('assignee_id')
        batch_op.drop_column('escalation_level')
        batch_op.drop_column('chain')

    op.drop_table('core_dispatch_rules')
    op.drop_table('core_assignments')
    op.drop_table('core_team_members')
    op.drop_table('core_teams')
