"""units: an index by status first, for counts by status across every estate

Revision ID: core_0008
Revises: core_0007
Create Date: 2026-12-04 18:50:00

The general manager's home page counts vacant units in every estate. ``(estate_id, status)`` cannot
serve ``status = 'vacant'`` without an estate, so PostgreSQL scanned half of a 1M-unit table (46 ms of
the page's 81 ms median in the workplace benchmark). ``(status, estate_id)`` serves it and the same
count per estate.
"""
from collections.abc import Sequence

from alembic import op

revision: str = 'core_0008'
down_revision: str | None = 'core_0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_core_units_status_estate', 'core_units', ['status', 'estate_id'])


def downgrade() -> None:
    op.drop_index('ix_core_units_status_estate', table_name='core_units')
