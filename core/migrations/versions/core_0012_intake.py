"""reception records and incidents

Revision ID: core_0012
Revises: core_0011
Create Date: 2026-12-04 20:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'core_0012'
down_revision: str | None = 'core_0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CATEGORY = ('inquiry', 'repair', 'complaint', 'help', 'suggestion', 'praise', 'other')


def upgrade() -> None:
    op.create_table('core_incidents',
    sa.Column('id', sa.Integer(), nullable=False, comment='record id'),
    sa.Column('number', sa.String(length=32), nullable=False, comment='SJ-YYYY-NNNNNN, per estate and year'),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='the estate where it happens'),
    sa.Column('title', sa.String(length=200), nullable=False, comment='e.g. 3栋停水 water cut in building 3'),
    sa.Column('category', sa.Enum(*_CATEGORY, name='core_intake_category', native_enum=False, length=32), nullable=False, comment='what kind of matter'),
    sa.Column('description', sa.String(length=4000), nullable=False, comment='what happened, what is done'),
    sa.Column('status', sa.Enum('open', 'resolved', name='core_incident_status', native_enum=False, length=32), nullable=False, comment='open or resolved'),
    sa.Column('opened_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when it was opened (UTC)'),
    sa.Column('opened_by_id', sa.Integer(), nullable=True, comment='staff who opened it'),
    sa.Column('resolved_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when it was resolved (UTC)'),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True, comment='staff who resolved it'),
    sa.Column('resolution', sa.String(length=4000), nullable=False, comment='what was done; told to reporters'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_core_incidents_estate_id_core_estates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['core_staff_users.id'], name=op.f('fk_core_incidents_opened_by_id_core_staff_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['core_staff_users.id'], name=op.f('fk_core_incidents_resolved_by_id_core_staff_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_incidents')),
    sa.UniqueConstraint('estate_id', 'number', name=op.f('uq_core_incidents_estate_id_number'))
    )
    with op.batch_alter_table('core_incidents', schema=None) as batch_op:
        batch_op.create_index('ix_core_incidents_estate_status', ['estate_id', 'status', 'opened_at'], unique=False)

    op.create_table('core_intakes',
    sa.Column('id', sa.Integer(), nullable=False, comment='record id'),
    sa.Column('number', sa.String(length=32), nullable=False, comment='JD-YYYY-NNNNNN, per estate and year'),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment="the estate it concerns (the unit's, when a unit is given)"),
    sa.Column('unit_id', sa.Integer(), nullable=True, comment='the unit concerned, if any'),
    sa.Column('party_id', sa.Integer(), nullable=True, comment='the caller when known (owner, tenant...)'),
    sa.Column('caller_name', sa.String(length=200), nullable=False, comment='来电/来访人 as given'),
    sa.Column('caller_phone', sa.String(length=40), nullable=False, comment='sensitive: masked in lists'),
    sa.Column('channel', sa.Enum('phone', 'walk_in', 'portal', 'wechat', 'letter', name='core_intake_channel', native_enum=False, length=32), nullable=False, comment='how it reached us'),
    sa.Column('category', sa.Enum(*_CATEGORY, name='core_intake_category', native_enum=False, length=32), nullable=False, comment='what the caller wants'),
    sa.Column('summary', sa.String(length=200), nullable=False, comment='one line shown in lists'),
    sa.Column('content', sa.String(length=4000), nullable=False, comment='what the caller said'),
    sa.Column('received_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when it was received (UTC)'),
    sa.Column('received_by_id', sa.Integer(), nullable=True, comment='staff who received it (首问负责)'),
    sa.Column('status', sa.Enum('new', 'routed', 'answered', 'merged', 'resolved', 'closed', name='core_intake_status', native_enum=False, length=32), nullable=False, comment='changed by core.intake only'),
    sa.Column('routed_table', sa.String(length=64), nullable=False, comment='table of the record it became'),
    sa.Column('routed_id', sa.Integer(), nullable=True, comment='id of the record it became'),
    sa.Column('incident_id', sa.Integer(), nullable=True, comment='the incident it was merged into'),
    sa.Column('reply', sa.String(length=4000), nullable=False, comment='answer given at the front desk'),
    sa.Column('replied_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when it was answered (UTC)'),
    sa.Column('replied_by_id', sa.Integer(), nullable=True, comment='staff who answered'),
    sa.Column('resolved_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when its incident was resolved (UTC)'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_core_intakes_estate_id_core_estates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['incident_id'], ['core_incidents.id'], name=op.f('fk_core_intakes_incident_id_core_incidents'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['party_id'], ['core_parties.id'], name=op.f('fk_core_intakes_party_id_core_parties'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['received_by_id'], ['core_staff_users.id'], name=op.f('fk_core_intakes_received_by_id_core_staff_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['replied_by_id'], ['core_staff_users.id'], name=op.f('fk_core_intakes_replied_by_id_core_staff_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['core_units.id'], name=op.f('fk_core_intakes_unit_id_core_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_intakes')),
    sa.UniqueConstraint('estate_id', 'number', name=op.f('uq_core_intakes_estate_id_number'))
    )
    with op.batch_alter_table('core_intakes', schema=None) as batch_op:
        # the duplicate finder (same estate, category, open, recent) and the estate's list by time
        batch_op.create_index('ix_core_intakes_duplicates', ['estate_id', 'category', 'status', 'received_at'], unique=False)
        batch_op.create_index('ix_core_intakes_estate_received', ['estate_id', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_intakes_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_intakes_party_id'), ['party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_intakes_unit_id'), ['unit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('core_intakes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_intakes_unit_id'))
        batch_op.drop_index(batch_op.f('ix_core_intakes_party_id'))
        batch_op.drop_index(batch_op.f('ix_core_intakes_incident_id'))
        batch_op.drop_index('ix_core_intakes_estate_received')
        batch_op.drop_index('ix_core_intakes_duplicates')

    op.drop_table('core_intakes')
    with op.batch_alter_table('core_incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_core_incidents_estate_status')

    op.drop_table('core_incidents')
