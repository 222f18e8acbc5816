"""archive tables: owner archives, documents, access requests and log, household census

Revision ID: archive_0001
Revises:
Create Date: 2026-12-04 23:41:21.840199
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'archive_0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ('archive',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('archive_archives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='the estate'),
    sa.Column('number', sa.String(length=32), nullable=False, comment='档案编号 DA-<year>-<n>, per estate'),
    sa.Column('unit_id', sa.Integer(), nullable=False, comment='the unit (楼号房号)'),
    sa.Column('party_id', sa.Integer(), nullable=False, comment='the owner the archive is about'),
    sa.Column('status', sa.Enum('active', 'closed', name='archive_status', native_enum=False, length=32), nullable=False, comment='closed when the owner moves out; kept'),
    sa.Column('opened_on', sa.Date(), nullable=False, comment='the day the archive was started (入住时间 if known)'),
    sa.Column('closed_on', sa.Date(), nullable=True, comment='the day ownership ended; retention counts from it'),
    sa.Column('location', sa.String(length=100), nullable=False, comment='cabinet / box of the paper file (存放位置)'),
    sa.Column('remarks', sa.String(length=1000), nullable=False, comment='备注'),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when it was registered'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_archive_archives_estate_id_core_estates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['party_id'], ['core_parties.id'], name=op.f('fk_archive_archives_party_id_core_parties'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['core_units.id'], name=op.f('fk_archive_archives_unit_id_core_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_archives')),
    sa.UniqueConstraint('estate_id', 'number', name=op.f('uq_archive_archives_estate_id_number')),
    sa.UniqueConstraint('unit_id', 'party_id', name=op.f('uq_archive_archives_unit_id_party_id'))
    )
    with op.batch_alter_table('archive_archives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_archives_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_archives_party_id'), ['party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_archives_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_archives_unit_id'), ['unit_id'], unique=False)

    op.create_table('archive_census_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='the estate'),
    sa.Column('period', sa.String(length=16), nullable=False, comment='e.g. 2026-Q1'),
    sa.Column('starts_on', sa.Date(), nullable=False, comment='first day of the round'),
    sa.Column('due_on', sa.Date(), nullable=False, comment='every unit should be checked by this day'),
    sa.Column('status', sa.Enum('open', 'closed', name='archive_census_status', native_enum=False, length=32), nullable=False, comment='open or closed'),
    sa.Column('created_by_id', sa.Integer(), nullable=True, comment='who opened the round'),
    sa.Column('closed_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when it was closed'),
    sa.Column('reminded_on', sa.Date(), nullable=True, comment='last reminder of unchecked units'),
    sa.ForeignKeyConstraint(['created_by_id'], ['core_staff_users.id'], name=op.f('fk_archive_census_rounds_created_by_id_core_staff_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_archive_census_rounds_estate_id_core_estates'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_census_rounds')),
    sa.UniqueConstraint('estate_id', 'period', name=op.f('uq_archive_census_rounds_estate_id_period'))
    )
    with op.batch_alter_table('archive_census_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_census_rounds_estate_id'), ['estate_id'], unique=False)

    op.create_table('archive_access_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='the estate'),
    sa.Column('archive_id', sa.Integer(), nullable=False, comment='the archive asked for'),
    sa.Column('section', sa.String(length=64), nullable=False, comment='the confidential section asked for, e.g. identity'),
    sa.Column('reason', sa.String(length=500), nullable=False, comment='why the requester needs it'),
    sa.Column('requester_id', sa.Integer(), nullable=False, comment='who asked'),
    sa.Column('status', sa.String(length=32), nullable=False, comment='workflow archive.access_request; changed only by transitions'),
    sa.Column('decided_by_id', sa.Integer(), nullable=True, comment='the manager who approved or refused'),
    sa.Column('decided_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when it was decided'),
    sa.Column('valid_until', core.db.UTCDateTime(timezone=True), nullable=True, comment='access ends at this time (UTC)'),
    sa.Column('requested_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when it was asked'),
    sa.ForeignKeyConstraint(['archive_id'], ['archive_archives.id'], name=op.f('fk_archive_access_requests_archive_id_archive_archives'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['core_staff_users.id'], name=op.f('fk_archive_access_requests_decided_by_id_core_staff_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_archive_access_requests_estate_id_core_estates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['requester_id'], ['core_staff_users.id'], name=op.f('fk_archive_access_requests_requester_id_core_staff_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_access_requests'))
    )
    with op.batch_alter_table('archive_access_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_access_requests_archive_id'), ['archive_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_access_requests_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_access_requests_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_access_requests_status'), ['status'], unique=False)

    op.create_table('archive_census_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='the estate'),
    sa.Column('round_id', sa.Integer(), nullable=False, comment='the round'),
    sa.Column('unit_id', sa.Integer(), nullable=False, comment='the unit'),
    sa.Column('result', sa.Enum('pending', 'confirmed', 'changed', 'unreachable', name='archive_census_result', native_enum=False, length=32), nullable=False, comment="the check's result"),
    sa.Column('notes', sa.String(length=1000), nullable=False, comment='what changed (occupants, phones)'),
    sa.Column('checked_by_id', sa.Integer(), nullable=True, comment='the specialist who checked'),
    sa.Column('checked_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when'),
    sa.ForeignKeyConstraint(['checked_by_id'], ['core_staff_users.id'], name=op.f('fk_archive_census_entries_checked_by_id_core_staff_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_archive_census_entries_estate_id_core_estates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['round_id'], ['archive_census_rounds.id'], name=op.f('fk_archive_census_entries_round_id_archive_census_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['core_units.id'], name=op.f('fk_archive_census_entries_unit_id_core_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_census_entries')),
    sa.UniqueConstraint('round_id', 'unit_id', name=op.f('uq_archive_census_entries_round_id_unit_id'))
    )
    with op.batch_alter_table('archive_census_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_census_entries_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_census_entries_result'), ['result'], unique=False)

    op.create_table('archive_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='the estate'),
    sa.Column('archive_id', sa.Integer(), nullable=False, comment='the archive it is filed in'),
    sa.Column('doc_type', sa.Enum('owner_covenant', 'fire_safety_letter', 'household_form', 'receipt_form', 'key_register', 'handover_form', 'renovation_approval', 'violation_notice', 'owner_certificate', 'purchase_contract', 'other', name='archive_doc_type', native_enum=False, length=32), nullable=False, comment='KF09 §4.1 type'),
    sa.Column('title', sa.String(length=200), nullable=False, comment='what it is, if more than the type'),
    sa.Column('dated_on', sa.Date(), nullable=True, comment='the date on the document'),
    sa.Column('pages', sa.Integer(), nullable=False, comment='档案页数'),
    sa.Column('sensitivity', sa.Enum('normal', 'confidential', name='archive_sensitivity', native_enum=False, length=32), nullable=False, comment="confidential: only with the manager's approval"),
    sa.Column('filed_by_id', sa.Integer(), nullable=True, comment='who filed it'),
    sa.Column('filed_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when it was filed'),
    sa.ForeignKeyConstraint(['archive_id'], ['archive_archives.id'], name=op.f('fk_archive_documents_archive_id_archive_archives'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_archive_documents_estate_id_core_estates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['filed_by_id'], ['core_staff_users.id'], name=op.f('fk_archive_documents_filed_by_id_core_staff_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_documents'))
    )
    with op.batch_alter_table('archive_documents', schema=None) as batch_op:
        batch_op.create_index('ix_archive_documents_archive_type', ['archive_id', 'doc_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_documents_estate_id'), ['estate_id'], unique=False)

    op.create_table('archive_access_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='the estate'),
    sa.Column('archive_id', sa.Integer(), nullable=False, comment='the archive opened'),
    sa.Column('actor_id', sa.Integer(), nullable=True, comment='who opened it'),
    sa.Column('section', sa.String(length=64), nullable=False, comment='the part opened: index, identity, keys, ...'),
    sa.Column('sensitivity', sa.Enum('normal', 'confidential', name='archive_sensitivity', native_enum=False, length=32), nullable=False, comment='how secret that part is'),
    sa.Column('outcome', sa.Enum('granted', 'refused', name='archive_access_outcome', native_enum=False, length=32), nullable=False, comment='granted or refused'),
    sa.Column('request_id', sa.Integer(), nullable=True, comment='the approval it was opened under'),
    sa.Column('reason', sa.String(length=500), nullable=False, comment='the stated reason, or why refused'),
    sa.Column('at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when (UTC)'),
    sa.ForeignKeyConstraint(['actor_id'], ['core_staff_users.id'], name=op.f('fk_archive_access_events_actor_id_core_staff_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['archive_id'], ['archive_archives.id'], name=op.f('fk_archive_access_events_archive_id_archive_archives'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_archive_access_events_estate_id_core_estates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['request_id'], ['archive_access_requests.id'], name=op.f('fk_archive_access_events_request_id_archive_access_requests'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_access_events'))
    )
    with op.batch_alter_table('archive_access_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_access_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_archive_access_events_archive_at', ['archive_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_access_events_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_access_events_outcome'), ['outcome'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('archive_access_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_access_events_outcome'))
        batch_op.drop_index(batch_op.f('ix_archive_access_events_estate_id'))
        batch_op.drop_index('ix_archive_access_events_archive_at')
        batch_op.drop_index(batch_op.f('ix_archive_access_events_actor_id'))

    op.drop_table('archive_access_events')
    with op.batch_alter_table('archive_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_documents_estate_id'))
        batch_op.drop_index('ix_archive_documents_archive_type')

    op.drop_table('archive_documents')
    with op.batch_alter_table('archive_census_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_census_entries_result'))
        batch_op.drop_index(batch_op.f('ix_archive_census_entries_estate_id'))

    op.drop_table('archive_census_entries')
    with op.batch_alter_table('archive_access_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_access_requests_status'))
        batch_op.drop_index(batch_op.f('ix_archive_access_requests_requester_id'))
        batch_op.drop_index(batch_op.f('ix_archive_access_requests_estate_id'))
        batch_op.drop_index(batch_op.f('ix_archive_access_requests_archive_id'))

    op.drop_table('archive_access_requests')
    with op.batch_alter_table('archive_census_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_census_rounds_estate_id'))

    op.drop_table('archive_census_rounds')
    with op.batch_alter_table('archive_archives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_archives_unit_id'))
        batch_op.drop_index(batch_op.f('ix_archive_archives_status'))
        batch_op.drop_index(batch_op.f('ix_archive_archives_party_id'))
        batch_op.drop_index(batch_op.f('ix_archive_archives_estate_id'))

    op.drop_table('archive_archives')
