"""disputes: the customer's optional photo (stored privately; these columns say where and what)

Revision ID: 20261203a001
Revises: 20261202j001
Create Date: 2026-12-03 10:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20261203a001'
down_revision: str | None = '20261202j001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('disputes') as batch:
        batch.add_column(sa.Column('photo_stored_name', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('photo_content_type', sa.String(length=20), nullable=False, server_default=''))
        batch.add_column(sa.Column('photo_sha256', sa.String(length=64), nullable=False, server_default=''))
        batch.add_column(sa.Column('photo_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('disputes') as batch:
        for name in ('photo_at', 'photo_sha256', 'photo_content_type', 'photo_stored_name'):
            batch.drop_column(name)
