"""staff session generation: logout and password changes end the user's sessions

Revision ID: core_0004
Revises: core_0003
Create Date: 2026-12-01 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'core_0004'
down_revision: str | None = 'core_0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COMMENT = "bumped by logout and password changes: the user's earlier session cookies stop working"


def upgrade() -> None:
    # Existing users start at generation 0; cookies issued before the upgrade carry no generation and
    # are refused (core.web.context.session_stamp), so everyone logs in once more after this upgrade.
    with op.batch_alter_table('core_staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False,
                                      comment=COMMENT))


def downgrade() -> None:
    with op.batch_alter_table('core_staff_users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
