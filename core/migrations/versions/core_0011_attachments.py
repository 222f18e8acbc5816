"""attachments behind a storage interface, with thumbnails

Revision ID: core_0011
Revises: core_0010
Create Date: 2026-12-04 20:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'core_0011'
down_revision: str | None = 'core_0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows (bytes in `data` or at `stored_path`) get empty keys: they are read as before.
    with op.batch_alter_table('core_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('storage_key', sa.String(length=255), server_default='', nullable=False, comment='key of the file in the attachment storage, e.g. 2026/12/<uuid>.jpg; empty for legacy rows'))
        batch_op.add_column(sa.Column('thumbnail_key', sa.String(length=255), server_default='', nullable=False, comment="key of the image's thumbnail; empty when none"))
        batch_op.add_column(sa.Column('sha256', sa.String(length=64), server_default='', nullable=False, comment='SHA-256 of the file, hex (spots the same file uploaded twice)'))
        batch_op.add_column(sa.Column('kind', sa.String(length=32), server_default='', nullable=False, comment='what the file is: photo, drawing, contract... (empty: unspecified)'))
        batch_op.add_column(sa.Column('width', sa.Integer(), nullable=True, comment='image width in pixels, upright (after EXIF rotation)'))
        batch_op.add_column(sa.Column('height', sa.Integer(), nullable=True, comment='image height in pixels, upright (after EXIF rotation)'))
        batch_op.add_column(sa.Column('removed_at', core.db.UTCDateTime(timezone=True), nullable=True, comment='when it was removed (the row stays for the trail)'))
        batch_op.add_column(sa.Column('removed_by_id', sa.Integer(), nullable=True, comment='who removed it'))
        batch_op.create_foreign_key(batch_op.f('fk_core_attachments_removed_by_id_core_staff_users'), 'core_staff_users', ['removed_by_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('core_attachments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_core_attachments_removed_by_id_core_staff_users'), type_='foreignkey')
        batch_op.drop_column('removed_by_id')
        batch_op.drop_column('removed_at')
        batch_op.drop_column('height')
        batch_op.drop_column('width')
        batch_op.drop_column('kind')
        batch_op.drop_column('sha256')
        batch_op.drop_column('thumbnail_key')
        batch_op.drop_column('storage_key')
