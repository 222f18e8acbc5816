"""reception records and incidents

Revision ID: core_0012
Revises: core_0011
Create Date: 2026-12-04 20:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = 'core_0012'
down_revision: str | None = 'core_0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
