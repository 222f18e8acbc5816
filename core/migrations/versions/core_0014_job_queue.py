"""job queue: task runs and failed tasks (placeholder: filled in by the work that owns it)

Revision ID: core_0014
Revises: core_0013
Create Date: 2026-12-04 23:40:00
"""
from collections.abc import Sequence

revision: str = 'core_0014'
down_revision: str | None = 'core_0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
