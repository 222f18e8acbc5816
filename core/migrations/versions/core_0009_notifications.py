"""notification templates and the delivery log; staff e-mail and mobile for the e-mail and SMS channels

Revision ID: core_0009
Revises: core_0008
Create Date: 2026-12-04 20:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'core_0009'
down_revision: str | None = 'core_0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ('queued', 'delivered', 'sent', 'failed', 'skipped')


def upgrade() -> None:
    op.create_table('core_notification_templates',
    sa.Column('id', sa.Integer(), nullable=False, comment='row id'),
    sa.Column('event', sa.String(length=120), nullable=False, comment='event name, e.g. core.deadline_escalated'),
    sa.Column('language', sa.String(length=8), nullable=False, comment='zh_CN or en'),
    sa.Column('channel', sa.String(length=32), nullable=False, comment='channel it is for; empty: every channel'),
    sa.Column('subject', sa.String(length=400), nullable=False, comment='Jinja2 text (sandboxed)'),
    sa.Column('body', sa.Text(), nullable=False, comment='Jinja2 text (sandboxed)'),
    sa.Column('active', sa.Boolean(), nullable=False, comment='false: the event\'s default applies'),
    sa.Column('updated_by_id', sa.Integer(), nullable=True, comment='who last edited it'),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='last edit (UTC)'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['core_staff_users.id'], name=op.f('fk_core_notification_templates_updated_by_id_core_staff_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_notification_templates')),
    sa.UniqueConstraint('event', 'language', 'channel', name=op.f('uq_core_notification_templates_event_language_channel'))
    )
    op.create_table('core_notifications',
    sa.Column('id', sa.Integer(), nullable=False, comment='row id'),
    sa.Column('event', sa.String(length=120), nullable=False, comment='event name'),
    sa.Column('channel', sa.String(length=32), nullable=False, comment="inapp, email, sms, wechat or a plugin's"),
    sa.Column('staff_id', sa.Integer(), nullable=True, comment='recipient when staff'),
    sa.Column('party_id', sa.Integer(), nullable=True, comment='recipient when an owner/tenant'),
    sa.Column('address', sa.String(length=200), nullable=False, comment='e-mail, mobile, openid; empty in-app'),
    sa.Column('language', sa.String(length=8), nullable=False, comment='language rendered in'),
    sa.Column('subject', sa.String(length=400), nullable=False, comment='rendered subject'),
    sa.Column('body', sa.Text(), nullable=False, comment='rendered body'),
    sa.Column('status', sa.Enum(*STATUSES, name='core_delivery_status', native_enum=False, length=16), nullable=False, comment='queued, delivered, sent, failed, skipped'),
    sa.Column('attempts', sa.Integer(), nullable=False, comment='sending attempts so far'),
    sa.Column('next_attempt_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when the job tries (again), UTC'),
    sa.Column('last_error', sa.String(length=1000), nullable=False, comment='why the last attempt failed/skipped'),
    sa.Column('record_table', sa.String(length=64), nullable=False, comment='table of the record it is about'),
    sa.Column('record_id', sa.Integer(), nullable=True, comment='id of the record it is about'),
    sa.Column('estate_id', sa.Integer(), nullable=True, comment='estate it belongs to (scoping)'),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='queued at (UTC)'),
    sa.Column('sent_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='sent or delivered at (UTC)'),
    sa.Column('read_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='in-app: read by the recipient at (UTC)'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_core_notifications_estate_id_core_estates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['party_id'], ['core_parties.id'], name=op.f('fk_core_notifications_party_id_core_parties'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['core_staff_users.id'], name=op.f('fk_core_notifications_staff_id_core_staff_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_notifications'))
    )
    with op.batch_alter_table('core_notifications', schema=None) as batch_op:
        batch_op.create_index('ix_core_notifications_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_core_notifications_mine', ['staff_id', 'channel', 'read_at'], unique=False)
        batch_op.create_index('ix_core_notifications_record', ['record_table', 'record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_notifications_event'), ['event'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_notifications_party_id'), ['party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_notifications_estate_id'), ['estate_id'], unique=False)

    with op.batch_alter_table('core_staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=200), server_default='', nullable=False, comment='for e-mail notifications; empty: none sent'))
        batch_op.add_column(sa.Column('mobile', sa.String(length=40), server_default='', nullable=False, comment='for SMS notifications; empty: none sent'))


def downgrade() -> None:
    with op.batch_alter_table('core_staff_users', schema=None) as batch_op:
        batch_op.drop_column('mobile')
        batch_op.drop_column('email')

    with op.batch_alter_table('core_notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_notifications_estate_id'))
        batch_op.drop_index(batch_op.f('ix_core_notifications_party_id'))
        batch_op.drop_index(batch_op.f('ix_core_notifications_event'))
        batch_op.drop_index('ix_core_notifications_record')
        batch_op.drop_index('ix_core_notifications_mine')
        batch_op.drop_index('ix_core_notifications_due')

    op.drop_table('core_notifications')
    op.drop_table('core_notification_templates')
