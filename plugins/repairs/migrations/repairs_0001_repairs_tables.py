"""repairs tables

Revision ID: repairs_0001
Revises:
Create Date: 2026-12-04 21:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'repairs_0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ('repairs',)
depends_on: str | Sequence[str] | None = None

_STAFF = 'core_staff_users.id'


def _fk(table: str, col: str, ref: str) -> sa.ForeignKeyConstraint:
    ref_table = ref.split('.')[0]
    return sa.ForeignKeyConstraint([col], [ref], name=op.f(f'fk_{table}_{col}_{ref_table}'), ondelete='RESTRICT')


def upgrade() -> None:
    t = 'repairs_categories'
    op.create_table(t,
    sa.Column('id', sa.Integer(), nullable=False, comment='record id'),
    sa.Column('estate_id', sa.Integer(), nullable=True, comment='the estate, or empty for every estate of the company'),
    sa.Column('code', sa.String(length=32), nullable=False, comment='short code, e.g. plumbing; dispatch rule repairs.<code>'),
    sa.Column('name', sa.String(length=100), nullable=False, comment='English name'),
    sa.Column('name_zh', sa.String(length=100), nullable=False, comment='中文名称'),
    sa.Column('dispatch_mode', sa.String(length=16), nullable=False, comment='default dispatch mode: assign, grab or round_robin'),
    sa.Column('paid', sa.Boolean(), nullable=False, comment='有偿维修: repairs of this kind are charged'),
    sa.Column('labour_fen', sa.Integer(), nullable=False, comment='price-list labour charge (维修项目收费标准), fen'),
    sa.Column('active', sa.Boolean(), nullable=False, comment='offered for new orders'),
    _fk(t, 'estate_id', 'core_estates.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repairs_categories')),
    sa.UniqueConstraint('estate_id', 'code', name=op.f('uq_repairs_categories_estate_id_code'))
    )
    with op.batch_alter_table(t, schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_repairs_categories_estate_id'), ['estate_id'], unique=False)

    t = 'repairs_orders'
    op.create_table(t,
    sa.Column('id', sa.Integer(), nullable=False, comment='record id'),
    sa.Column('estate_id', sa.Integer(), nullable=False, comment="the estate (the unit's)"),
    sa.Column('number', sa.String(length=32), nullable=False, comment='RP-<year>-<n>, per estate and year'),
    sa.Column('status', sa.String(length=32), nullable=False, comment='workflow repairs.order; changed only by transitions'),
    sa.Column('unit_id', sa.Integer(), nullable=True, comment='the unit (房屋报修), or empty for a common area'),
    sa.Column('location', sa.String(length=200), nullable=False, comment='common area (公共区域) or spot in the unit'),
    sa.Column('reporter_party_id', sa.Integer(), nullable=True, comment='the reporter when on file'),
    sa.Column('reporter_name', sa.String(length=200), nullable=False, comment='报修人 as given'),
    sa.Column('reporter_phone', sa.String(length=40), nullable=False, comment='sensitive: masked in lists'),
    sa.Column('channel', sa.String(length=16), nullable=False, comment='phone, walk_in, portal, wechat, letter, patrol'),
    sa.Column('category_id', sa.Integer(), nullable=True, comment='报修类别; empty until the clerk chooses one'),
    sa.Column('description', sa.String(length=4000), nullable=False, comment='报修内容'),
    sa.Column('urgency', sa.String(length=16), nullable=False, comment='normal, urgent or emergency'),
    sa.Column('booked_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='预约维修时间 (UTC)'),
    sa.Column('received_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when it was received (UTC)'),
    sa.Column('received_by_id', sa.Integer(), nullable=True, comment='staff who registered it'),
    sa.Column('intake_id', sa.Integer(), nullable=True, comment='the reception record it was routed from'),
    sa.Column('on_price_list', sa.Boolean(), nullable=False, comment='item on the price list (else quoted within 15 minutes)'),
    sa.Column('paid', sa.Boolean(), nullable=False, comment='有偿维修: charged to the unit'),
    sa.Column('warranty', sa.Boolean(), nullable=False, comment='保修期内: the developer repairs it (routed, not dispatched)'),
    sa.Column('labour_fen', sa.Integer(), nullable=False, comment='labour charge, fen'),
    sa.Column('material_fen', sa.Integer(), nullable=False, comment='materials charge, fen'),
    sa.Column('quote_accepted_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when the owner accepted the price'),
    sa.Column('charge_posted', sa.Boolean(), nullable=False, comment="the charge is on the unit's bill"),
    sa.Column('diagnosis', sa.String(length=2000), nullable=False, comment='故障原因 / work done'),
    sa.Column('arrived_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='technician on site'),
    sa.Column('completed_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='work finished'),
    sa.Column('confirmed_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='owner tested and signed (业主验收签字)'),
    sa.Column('closed_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='order closed'),
    sa.Column('satisfaction', sa.String(length=16), nullable=False, comment='satisfied, unsatisfied or empty'),
    sa.Column('rework_count', sa.Integer(), nullable=False, comment='times reopened for rework (返修)'),
    _fk(t, 'estate_id', 'core_estates.id'),
    _fk(t, 'unit_id', 'core_units.id'),
    _fk(t, 'reporter_party_id', 'core_parties.id'),
    _fk(t, 'category_id', 'repairs_categories.id'),
    _fk(t, 'received_by_id', _STAFF),
    _fk(t, 'intake_id', 'core_intakes.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repairs_orders')),
    sa.UniqueConstraint('estate_id', 'number', name=op.f('uq_repairs_orders_estate_id_number'))
    )
    with op.batch_alter_table(t, schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_repairs_orders_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_repairs_orders_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_repairs_orders_unit_id'), ['unit_id'], unique=False)


def downgrade() -> None:
    op.drop_table('repairs_orders')
    op.drop_table('repairs_categories')
