"""refunds.concession: a refund support gives as a concession lowers the bill (it is not owed again)

Revision ID: 20261202e001
Revises: 20261202d001
Create Date: 2026-12-02 15:40:00

A plain ADD COLUMN with a server default (existing refunds gave back an overpayment or a
cancelled booking's money: not concessions).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20261202e001'
down_revision: str | None = '20261202d001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('refunds', sa.Column('concession', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('refunds') as batch:
        batch.drop_column('concession')
