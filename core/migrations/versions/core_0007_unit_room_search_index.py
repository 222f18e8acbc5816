"""units: an index serving the workplace's room lookup in label order

Revision ID: core_0007
Revises: core_0006
Create Date: 2026-12-04 18:00:00

``core.services.search.find_units`` asks ``lower(room_no) = :room ORDER BY estate_id, building_id,
entrance, id LIMIT 20``. The prefix index on ``lower(room_no)`` does not give that order, so the planner
walked the estate index and filtered every unit (a phone tail typed in the search box is also read as a
room: 185-500 ms at 1M units). This index holds the filter and the order: 0.04-0.07 ms.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'core_0007'
down_revision: str | None = 'core_0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_core_units_room_search', 'core_units',
                    [sa.func.lower(sa.column('room_no')), 'estate_id', 'building_id', 'entrance', 'id'])


def downgrade() -> None:
    op.drop_index('ix_core_units_room_search', table_name='core_units')
