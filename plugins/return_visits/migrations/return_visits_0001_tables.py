"""return_visits tables: rules, visits and satisfaction ratings

Revision ID: return_visits_0001
Revises:
Create Date: 2026-12-04 21:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'return_visits_0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ('return_visits',)
depends_on: str | Sequence[str] | None = None

METHOD = sa.Enum('phone', 'visit', name='return_visits_method', native_enum=False, length=32)
SATISFACTION = ('very_satisfied', 'satisfied', 'neutral', 'unsatisfied', 'very_unsatisfied')


def _staff_fk(table: str, column: str):
    return sa.ForeignKeyConstraint([column], ['core_staff_users.id'],
                                   name=op.f(f'fk_{table}_{column}_core_staff_users'), ondelete='RESTRICT')


def _estate_fk(table: str):
    return sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f(f'fk_{table}_estate_id_core_estates'),
                                   ondelete='RESTRICT')


def upgrade() -> None:
    op.create_table('return_visits_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=True, comment='the estate; empty for the company-wide rule'),
    sa.Column('source', sa.String(length=64), nullable=False, comment='e.g. repairs.order, complaints.complaint'),
    sa.Column('share_percent', sa.Integer(), nullable=False, comment='0-100: the share of closed records visited'),
    sa.Column('within_working_days', sa.Integer(), nullable=False,
              comment='the visit is due this many working days after the record closed'),
    sa.Column('method', METHOD, nullable=False, comment='how the visit is made'),
    sa.Column('active', sa.Boolean(), nullable=False, comment='inactive rules generate nothing'),
    _estate_fk('return_visits_rules'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_visits_rules')),
    sa.UniqueConstraint('estate_id', 'source', name=op.f('uq_return_visits_rules_estate_id_source'))
    )
    with op.batch_alter_table('return_visits_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_visits_rules_estate_id'), ['estate_id'], unique=False)

    op.create_table('return_visits_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='the estate of the visited record'),
    sa.Column('number', sa.String(length=32), nullable=False, comment='HF-YYYY-NNNNNN'),
    sa.Column('source', sa.String(length=64), nullable=False, comment='the source the record came from'),
    sa.Column('record_table', sa.String(length=64), nullable=False, comment='table of the visited record'),
    sa.Column('record_id', sa.Integer(), nullable=False, comment='id of the visited record in its table'),
    sa.Column('unit_id', sa.Integer(), nullable=True, comment='the unit served'),
    sa.Column('party_id', sa.Integer(), nullable=True, comment='the owner or tenant visited'),
    sa.Column('phone', sa.String(length=40), nullable=False, comment='number to call'),
    sa.Column('summary', sa.String(length=400), nullable=False, comment='what was done (from the source)'),
    sa.Column('handled_by_id', sa.Integer(), nullable=True, comment='who handled the visited record (appraised)'),
    sa.Column('closed_at', core.db.UTCDateTime(timezone=True), nullable=False,
              comment='when the visited record closed (UTC)'),
    sa.Column('due_at', core.db.UTCDateTime(timezone=True), nullable=False,
              comment='visit due by (working days on the business calendar)'),
    sa.Column('status', sa.Enum('scheduled', 'done', 'unreachable', 'cancelled', name='return_visits_status',
                                native_enum=False, length=32), nullable=False, comment='visit status'),
    sa.Column('method', METHOD, nullable=False, comment='how the visit was made'),
    sa.Column('attempts', sa.Integer(), nullable=False, comment='calls that reached nobody'),
    sa.Column('visitor_id', sa.Integer(), nullable=True, comment='the staff member who made the visit'),
    sa.Column('visited_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when the visit was made'),
    sa.Column('satisfaction', sa.Enum(*SATISFACTION, name='return_visits_satisfaction', native_enum=False,
                                      length=32), nullable=True, comment="the owner's satisfaction"),
    sa.Column('comments', sa.String(length=1000), nullable=False, comment="the owner's words"),
    sa.Column('outcome', sa.Enum('none', 'reopened', 'escalated', name='return_visits_outcome', native_enum=False,
                                 length=32), nullable=False, comment='follow-up of an unsatisfied visit'),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False,
              comment='when the visit was generated'),
    _estate_fk('return_visits_visits'),
    _staff_fk('return_visits_visits', 'handled_by_id'),
    _staff_fk('return_visits_visits', 'visitor_id'),
    sa.ForeignKeyConstraint(['party_id'], ['core_parties.id'], name=op.f('fk_return_visits_visits_party_id_core_parties'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['core_units.id'], name=op.f('fk_return_visits_visits_unit_id_core_units'),
                            ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_visits_visits')),
    sa.UniqueConstraint('estate_id', 'number', name=op.f('uq_return_visits_visits_estate_id_number')),
    sa.UniqueConstraint('source', 'record_id', name=op.f('uq_return_visits_visits_source_record_id'))
    )
    with op.batch_alter_table('return_visits_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_visits_visits_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_visits_visits_status'), ['status'], unique=False)

    op.create_table('return_visits_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='the estate of the rated record'),
    sa.Column('source', sa.String(length=64), nullable=False, comment='the source of the rated record'),
    sa.Column('record_id', sa.Integer(), nullable=False, comment='id of the rated record'),
    sa.Column('visit_id', sa.Integer(), nullable=True, comment='the visit that recorded it'),
    sa.Column('handled_by_id', sa.Integer(), nullable=True, comment='who handled the rated record'),
    sa.Column('satisfaction', sa.Enum(*SATISFACTION, name='return_visits_satisfaction', native_enum=False,
                                      length=32), nullable=False, comment='the rating on the 5-point scale'),
    sa.Column('score', sa.Integer(), nullable=False, comment='points 1-5 (5: very satisfied)'),
    sa.Column('comment', sa.String(length=1000), nullable=False, comment="the owner's comment"),
    sa.Column('channel', sa.Enum('visit', 'link', name='return_visits_channel', native_enum=False, length=32),
              nullable=False, comment="visit or owner's link"),
    sa.Column('token_id', sa.String(length=64), nullable=True, comment="the link's nonce: a link rates once"),
    sa.Column('rated_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when it was rated'),
    _estate_fk('return_visits_ratings'),
    _staff_fk('return_visits_ratings', 'handled_by_id'),
    sa.ForeignKeyConstraint(['visit_id'], ['return_visits_visits.id'],
                            name=op.f('fk_return_visits_ratings_visit_id_return_visits_visits'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_visits_ratings')),
    sa.UniqueConstraint('token_id', name=op.f('uq_return_visits_ratings_token_id'))
    )
    with op.batch_alter_table('return_visits_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_visits_ratings_estate_id'), ['estate_id'], unique=False)


def downgrade() -> None:
    for table, indexes in (('return_visits_ratings', ('estate_id',)), ('return_visits_visits', ('status', 'estate_id')),
                           ('return_visits_rules', ('estate_id',))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in indexes:
                batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
        op.drop_table(table)
