"""printable documents: the issue log (numbers, reprints) of receipts, notices, permits and agreements

Revision ID: core_0013
Revises: core_0012
Create Date: 2026-12-04 20:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'core_0013'
down_revision: str | None = 'core_0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('core_document_issues',
    sa.Column('id', sa.Integer(), nullable=False, comment='row id'),
    sa.Column('document', sa.String(length=120), nullable=False, comment='document name, e.g. billing.receipt'),
    sa.Column('record_table', sa.String(length=120), nullable=False, comment='table of the printed record'),
    sa.Column('record_id', sa.Integer(), nullable=False, comment='id of the printed record'),
    sa.Column('params_key', sa.String(length=200), nullable=False, comment='parameters of the issue, e.g. period=2026-12'),
    sa.Column('estate_id', sa.Integer(), nullable=True, comment='estate of the record'),
    sa.Column('number', sa.String(length=40), nullable=True, comment='document number (编号); same on reprints'),
    sa.Column('copy_no', sa.Integer(), nullable=False, comment='0: the original; n: the n-th reprint (补打)'),
    sa.Column('reprint_of_id', sa.Integer(), nullable=True, comment='the original issue of a reprint'),
    sa.Column('issued_at', core.db.UTCDateTime(timezone=True), nullable=False, comment='when it was issued (UTC)'),
    sa.Column('issued_by_id', sa.Integer(), nullable=True, comment='staff member who printed it; NULL: the system'),
    sa.ForeignKeyConstraint(['estate_id'], ['core_estates.id'], name=op.f('fk_core_document_issues_estate_id_core_estates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['core_staff_users.id'], name=op.f('fk_core_document_issues_issued_by_id_core_staff_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reprint_of_id'], ['core_document_issues.id'], name=op.f('fk_core_document_issues_reprint_of_id_core_document_issues'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_document_issues')),
    sa.UniqueConstraint('document', 'record_table', 'record_id', 'params_key', 'copy_no', name=op.f('uq_core_document_issues_copy'))
    )
    with op.batch_alter_table('core_document_issues', schema=None) as batch_op:
        batch_op.create_index('ix_core_document_issues_estate_number', ['estate_id', 'number'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_document_issues_estate_id'), ['estate_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('core_document_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_document_issues_estate_id'))
        batch_op.drop_index('ix_core_document_issues_estate_number')

    op.drop_table('core_document_issues')
