"""charge lines: a partial index on reverses_id (only reversals), for "is this line reversed?"

Revision ID: billing_0003
Revises: billing_0002
Create Date: 2026-12-04 17:45:00

Arrears and the ageing report ask, for every open line, whether a reversal of it exists. Without an
index that probe scanned the ledger once per line (44 s for one demo estate's ageing). Only reversal
lines carry ``reverses_id``, so the partial index stays small and the billing run does not pay for it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'billing_0003'
down_revision: str | None = 'billing_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = 'ix_billing_charge_lines_reverses_id'
IS_REVERSAL = sa.text('reverses_id IS NOT NULL')


def upgrade() -> None:
    op.create_index(NAME, 'billing_charge_lines', ['reverses_id'], unique=False,
                    postgresql_where=IS_REVERSAL, sqlite_where=IS_REVERSAL)


def downgrade() -> None:
    op.drop_index(NAME, table_name='billing_charge_lines')
