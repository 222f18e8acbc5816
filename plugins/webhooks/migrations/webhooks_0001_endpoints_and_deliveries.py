"""webhook endpoints and deliveries

Revision ID: webhooks_0001
Revises:
Create Date: 2026-12-04 14:33:23
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'webhooks_0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ('webhooks',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('webhooks_endpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=True, comment='null: company-wide (every estate)'),
    sa.Column('url', sa.String(length=500), nullable=False, comment='http:// or https:// address deliveries are POSTed to'),
    sa.Column('signing_secret', sa.String(length=200), nullable=False, comment='HMAC-SHA256 key; write-only'),
    sa.Column('events', sa.String(length=200), nullable=False, comment='subscribed event types, separated by spaces'),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['core_staff_users.id'], name=op.f('fk_webhooks_endpoints_created_by_id_core_staff_users')),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_webhooks_endpoints_estate_id_core_estates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhooks_endpoints'))
    )
    with op.batch_alter_table('webhooks_endpoints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhooks_endpoints_estate_id'), ['estate_id'], unique=False)

    op.create_table('webhooks_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False, comment='X-Wuye-Delivery: receivers de-duplicate on it'),
    sa.Column('endpoint_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('record_type', sa.String(length=120), nullable=False, comment="the record's table, e.g. keys_loans"),
    sa.Column('record_id', sa.String(length=64), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=True, comment="the record's estate, if any"),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False, comment='pending, delivered or failed'),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='null once delivered or failed'),
    sa.Column('last_attempt_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_status_code', sa.Integer(), nullable=True, comment='HTTP status of the last answer; null: no answer'),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['endpoint_id'], ['webhooks_endpoints.id'], name=op.f('fk_webhooks_deliveries_endpoint_id_webhooks_endpoints')),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_webhooks_deliveries_estate_id_core_estates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhooks_deliveries')),
    sa.UniqueConstraint('uid', name=op.f('uq_webhooks_deliveries_uid'))
    )
    with op.batch_alter_table('webhooks_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_webhooks_deliveries_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhooks_deliveries_endpoint_id'), ['endpoint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhooks_deliveries_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhooks_deliveries_event'), ['event'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('webhooks_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhooks_deliveries_event'))
        batch_op.drop_index(batch_op.f('ix_webhooks_deliveries_estate_id'))
        batch_op.drop_index(batch_op.f('ix_webhooks_deliveries_endpoint_id'))
        batch_op.drop_index('ix_webhooks_deliveries_due')

    op.drop_table('webhooks_deliveries')
    with op.batch_alter_table('webhooks_endpoints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhooks_endpoints_estate_id'))

    op.drop_table('webhooks_endpoints')
