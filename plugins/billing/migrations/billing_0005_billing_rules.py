"""billing rules: bill-to, earmarks, deposit deductions, price per

Fee items say whether their price is per month or per cycle and may carry their own late-fee rate;
dunning cases keep the dates of a dispute (late fees pause); deposit entries can be reversed and a
refund records its payee; prepaid balances are earmarked per fee category (existing balances become
the general, unearmarked part); collectors' zones for the collection rate.

Revision ID: billing_0005
Revises: billing_0004
Create Date: 2026-12-04 23:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core

revision: str = 'billing_0005'
down_revision: str | None = 'billing_0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('billing_fee_items') as batch:
        batch.add_column(sa.Column('price_per', sa.String(length=8), server_default='cycle', nullable=False,
                                   comment='cycle or month: what the price is for'))
        batch.add_column(sa.Column('late_fee_daily_permille', sa.Numeric(precision=6, scale=3), nullable=True,
                                   comment="滞纳金 ‰ a day for this item; null: the estate's / config's rate"))
    with op.batch_alter_table('billing_dunning_cases') as batch:
        batch.add_column(sa.Column('disputed_on', sa.Date(), nullable=True, comment='day the owner disputed the fees'))
        batch.add_column(sa.Column('dispute_resolved_on', sa.Date(), nullable=True, comment='day the dispute ended'))
    with op.batch_alter_table('billing_deposit_entries') as batch:
        batch.add_column(sa.Column('payee', sa.String(length=200), server_default='', nullable=False,
                                   comment='退款收款人'))
        batch.add_column(sa.Column('reverses_id', sa.Integer(), nullable=True,
                                   comment='the entry a reversal cancels'))
        batch.create_foreign_key(batch.f('fk_billing_deposit_entries_reverses_id_billing_deposit_entries'),
                                 'billing_deposit_entries', ['reverses_id'], ['id'], ondelete='RESTRICT')
        batch.drop_constraint(batch.f('ck_billing_deposit_entries_kind_known'), type_='check')
        batch.create_check_constraint(batch.f('ck_billing_deposit_entries_kind_known'),
                                      "kind IN ('hold', 'deduct', 'refund', 'reversal')")
    op.create_table(
        'billing_prepaid_balances',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=32), nullable=False, comment="fee category; '' = general"),
        sa.Column('balance_fen', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['billing_accounts.id'],
                                name=op.f('fk_billing_prepaid_balances_account_id_billing_accounts'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_prepaid_balances')),
        sa.UniqueConstraint('account_id', 'category', name=op.f('uq_billing_prepaid_balances_account_id_category')),
    )
    # Balances prepaid before earmarking are general: they keep paying any line, as they always did.
    op.execute("INSERT INTO billing_prepaid_balances (account_id, category, balance_fen) "
               "SELECT id, '', prepaid_fen FROM billing_accounts WHERE prepaid_fen <> 0")
    op.create_table(
        'billing_collection_zones',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('estate_id', sa.Integer(), nullable=False),
        sa.Column('building_id', sa.Integer(), nullable=False),
        sa.Column('collector_id', sa.Integer(), nullable=False, comment='the responsible collector'),
        sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['building_id'], ['core_buildings.id'],
                                name=op.f('fk_billing_collection_zones_building_id_core_buildings'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['collector_id'], ['core_staff_users.id'],
                                name=op.f('fk_billing_collection_zones_collector_id_core_staff_users'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'],
                                name=op.f('fk_billing_collection_zones_estate_id_core_estates'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_collection_zones')),
        sa.UniqueConstraint('building_id', name=op.f('uq_billing_collection_zones_building_id')),
    )
    with op.batch_alter_table('billing_collection_zones') as batch:
        batch.create_index(batch.f('ix_billing_collection_zones_estate_id'), ['estate_id'], unique=False)
        batch.create_index(batch.f('ix_billing_collection_zones_collector_id'), ['collector_id'], unique=False)


def downgrade() -> None:
    op.drop_table('billing_collection_zones')
    op.drop_table('billing_prepaid_balances')
    op.execute("DELETE FROM billing_deposit_entries WHERE kind = 'reversal'")
    with op.batch_alter_table('billing_deposit_entries') as batch:
        batch.drop_constraint(batch.f('ck_billing_deposit_entries_kind_known'), type_='check')
        batch.create_check_constraint(batch.f('ck_billing_deposit_entries_kind_known'),
                                      "kind IN ('hold', 'deduct', 'refund')")
        batch.drop_constraint(batch.f('fk_billing_deposit_entries_reverses_id_billing_deposit_entries'),
                              type_='foreignkey')
        batch.drop_column('reverses_id')
        batch.drop_column('payee')
    with op.batch_alter_table('billing_dunning_cases') as batch:
        batch.drop_column('dispute_resolved_on')
        batch.drop_column('disputed_on')
    with op.batch_alter_table('billing_fee_items') as batch:
        batch.drop_column('late_fee_daily_permille')
        batch.drop_column('price_per')
