"""cashier desk: daily close per cashier (日清) and voided receipts (作废)

Revision ID: billing_0004
Revises: billing_0003
Create Date: 2026-12-04 23:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa

import core.db
from alembic import op

revision: str = 'billing_0004'
down_revision: str | None = 'billing_0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fen(name: str, comment: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=False, comment=comment)


def upgrade() -> None:
    op.create_table(
        'billing_daily_closes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('estate_id', sa.Integer(), nullable=False),
        sa.Column('cashier_id', sa.Integer(), nullable=False, comment='whose payments are closed'),
        sa.Column('business_day', sa.Date(), nullable=False, comment='the day closed (收款日期)'),
        sa.Column('payments', sa.Integer(), nullable=False, comment='receipts issued that day (reversals included)'),
        _fen('received_fen', 'money taken, before voids'),
        sa.Column('voids', sa.Integer(), nullable=False, comment='reversals (红冲) booked that day'),
        _fen('voided_fen', 'money given back by the reversals'),
        _fen('net_fen', 'received minus voided: what is handed in'),
        _fen('cash_fen', 'net by method: cash'),
        _fen('card_fen', 'net by method: bank card'),
        _fen('wechat_fen', 'net by method: WeChat Pay'),
        _fen('alipay_fen', 'net by method: Alipay'),
        _fen('transfer_fen', 'net by method: bank transfer'),
        sa.Column('first_receipt_no', sa.String(length=40), nullable=True, comment='lowest receipt number of the day'),
        sa.Column('last_receipt_no', sa.String(length=40), nullable=True, comment='highest receipt number of the day'),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('closed_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('note', sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'],
                                name=op.f('fk_billing_daily_closes_estate_id_core_estates'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['cashier_id'], ['core_staff_users.id'],
                                name=op.f('fk_billing_daily_closes_cashier_id_core_staff_users'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['closed_by_id'], ['core_staff_users.id'],
                                name=op.f('fk_billing_daily_closes_closed_by_id_core_staff_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_daily_closes')),
        sa.UniqueConstraint('estate_id', 'cashier_id', 'business_day',
                            name=op.f('uq_billing_daily_closes_estate_id_cashier_id_business_day')),
    )
    op.create_index(op.f('ix_billing_daily_closes_estate_id'), 'billing_daily_closes', ['estate_id'])
    op.create_index(op.f('ix_billing_daily_closes_cashier_id'), 'billing_daily_closes', ['cashier_id'])
    op.create_table(
        'billing_receipt_voids',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('estate_id', sa.Integer(), nullable=False),
        sa.Column('receipt_id', sa.Integer(), nullable=False, comment='the receipt made void'),
        sa.Column('payment_id', sa.Integer(), nullable=False, comment='the payment reversed'),
        sa.Column('reversal_id', sa.Integer(), nullable=False, comment='the reversal payment'),
        sa.Column('reason', sa.String(length=400), nullable=False),
        sa.Column('voided_on', sa.Date(), nullable=False, comment='business day of the reversal'),
        sa.Column('voided_by_id', sa.Integer(), nullable=True),
        sa.Column('second_person_id', sa.Integer(), nullable=True, comment='who confirmed it (双人复核)'),
        sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'],
                                name=op.f('fk_billing_receipt_voids_estate_id_core_estates'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['receipt_id'], ['billing_receipts.id'],
                                name=op.f('fk_billing_receipt_voids_receipt_id_billing_receipts'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['payment_id'], ['billing_payments.id'],
                                name=op.f('fk_billing_receipt_voids_payment_id_billing_payments'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['reversal_id'], ['billing_payments.id'],
                                name=op.f('fk_billing_receipt_voids_reversal_id_billing_payments'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['voided_by_id'], ['core_staff_users.id'],
                                name=op.f('fk_billing_receipt_voids_voided_by_id_core_staff_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['second_person_id'], ['core_staff_users.id'],
                                name=op.f('fk_billing_receipt_voids_second_person_id_core_staff_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_receipt_voids')),
        sa.UniqueConstraint('receipt_id', name=op.f('uq_billing_receipt_voids_receipt_id')),
    )
    op.create_index(op.f('ix_billing_receipt_voids_estate_id'), 'billing_receipt_voids', ['estate_id'])
    op.create_index(op.f('ix_billing_receipt_voids_payment_id'), 'billing_receipt_voids', ['payment_id'])
    op.create_index(op.f('ix_billing_receipt_voids_reversal_id'), 'billing_receipt_voids', ['reversal_id'])


def downgrade() -> None:
    op.drop_table('billing_receipt_voids')
    op.drop_table('billing_daily_closes')
