"""billing run chunks for queued runs (placeholder: filled in by the work that owns it)

Revision ID: billing_0006
Revises: billing_0005
Create Date: 2026-12-04 23:40:00
"""
from collections.abc import Sequence

revision: str = 'billing_0006'
down_revision: str | None = 'billing_0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
