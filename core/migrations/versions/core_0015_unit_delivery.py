"""unit delivery: notice and deemed delivery (placeholder: filled in by the work that owns it)

Revision ID: core_0015
Revises: core_0014
Create Date: 2026-12-04 23:40:00
"""
from collections.abc import Sequence

revision: str = 'core_0015'
down_revision: str | None = 'core_0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
