"""help_requests tables: standard answers (服务口径) and help requests (求助登记)

Revision ID: help_requests_0001
Revises:
Create Date: 2026-12-04 21:05:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'help_requests_0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ('help_requests',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('help_requests_answers',
    sa.Column('id', sa.Integer(), nullable=False, comment='record id'),
    sa.Column('estate_id', sa.Integer(), nullable=True, comment='null: company-wide answer'),
    sa.Column('topic', sa.String(length=32), nullable=False, comment='主题: fees, keys, ...'),
    sa.Column('question', sa.String(length=200), nullable=False, comment='the question as residents ask it'),
    sa.Column('answer', sa.Text(), nullable=False, comment='标准答复 in Chinese'),
    sa.Column('answer_en', sa.Text(), nullable=False, comment='the answer in English, if any'),
    sa.Column('keywords', sa.String(length=400), nullable=False, comment='search words, separated by spaces'),
    sa.Column('active', sa.Boolean(), nullable=False, comment='inactive answers are not found'),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='last change (UTC)'),
    sa.Column('updated_by_id', sa.Integer(), nullable=True, comment='who last changed it'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_help_requests_answers_estate_id_core_estates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['core_staff_users.id'], name=op.f('fk_help_requests_answers_updated_by_id_core_staff_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_requests_answers'))
    )
    with op.batch_alter_table('help_requests_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_requests_answers_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_answers_topic'), ['topic'], unique=False)

    op.create_table('help_requests_requests',
    sa.Column('id', sa.Integer(), nullable=False, comment='record id'),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment='estate the request concerns'),
    sa.Column('number', sa.String(length=32), nullable=False, comment='HR-<year>-<n>, per estate and year'),
    sa.Column('status', sa.String(length=32), nullable=False, comment='workflow help_requests.request; changed only by transitions'),
    sa.Column('kind', sa.String(length=16), nullable=False, comment='help, emergency or inquiry (from category)'),
    sa.Column('category', sa.String(length=32), nullable=False, comment='locked_out, fire, medical, written_inquiry, ...'),
    sa.Column('channel', sa.String(length=16), nullable=False, comment='how it reached us'),
    sa.Column('unit_id', sa.Integer(), nullable=True, comment="the caller's unit, if any"),
    sa.Column('party_id', sa.Integer(), nullable=True, comment='the caller when known'),
    sa.Column('caller_name', sa.String(length=200), nullable=False, comment='求助人 as given'),
    sa.Column('caller_phone', sa.String(length=40), nullable=False, comment='always asked first; masked in lists'),
    sa.Column('location', sa.String(length=200), nullable=False, comment='where help is needed (always asked)'),
    sa.Column('description', sa.Text(), nullable=False, comment='what happened and what the caller wants'),
    sa.Column('received_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when it was received (UTC)'),
    sa.Column('received_by_id', sa.Integer(), nullable=True, comment='first receiver (首问负责): owns it to the end'),
    sa.Column('intake_id', sa.Integer(), nullable=True, comment='the reception record (来电来访登记) it came from'),
    sa.Column('reply_due_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='reply limit: reply_minutes, or 2 days for a written inquiry (UTC)'),
    sa.Column('alerted_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when the emergency alert was queued (UTC)'),
    sa.Column('reply', sa.Text(), nullable=False, comment='答复: the reply (in writing for 书面咨询)'),
    sa.Column('replied_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when it was replied to (UTC)'),
    sa.Column('replied_by_id', sa.Integer(), nullable=True, comment='who replied'),
    sa.Column('result', sa.Text(), nullable=False, comment='处理结果'),
    sa.Column('resolved_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when it was resolved (UTC)'),
    sa.Column('return_visit', sa.Text(), nullable=False, comment='回访 by the first receiver'),
    sa.Column('closed_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when it was closed (UTC)'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_help_requests_requests_estate_id_core_estates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['party_id'], ['core_parties.id'], name=op.f('fk_help_requests_requests_party_id_core_parties'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['received_by_id'], ['core_staff_users.id'], name=op.f('fk_help_requests_requests_received_by_id_core_staff_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['replied_by_id'], ['core_staff_users.id'], name=op.f('fk_help_requests_requests_replied_by_id_core_staff_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['core_units.id'], name=op.f('fk_help_requests_requests_unit_id_core_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_requests_requests')),
    sa.UniqueConstraint('estate_id', 'number', name=op.f('uq_help_requests_requests_estate_id_number'))
    )
    with op.batch_alter_table('help_requests_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_requests_requests_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_requests_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_requests_party_id'), ['party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_requests_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_requests_unit_id'), ['unit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('help_requests_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_requests_requests_unit_id'))
        batch_op.drop_index(batch_op.f('ix_help_requests_requests_status'))
        batch_op.drop_index(batch_op.f('ix_help_requests_requests_party_id'))
        batch_op.drop_index(batch_op.f('ix_help_requests_requests_kind'))
        batch_op.drop_index(batch_op.f('ix_help_requests_requests_estate_id'))

    op.drop_table('help_requests_requests')
    with op.batch_alter_table('help_requests_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_requests_answers_topic'))
        batch_op.drop_index(batch_op.f('ix_help_requests_answers_estate_id'))

    op.drop_table('help_requests_answers')
