"""notifications said again (#19): each notification's title and body as messages, for the inbox
to show them in the language its reader reads now

Revision ID: 20261204d001
Revises: 20261204c001
Create Date: 2026-12-04 20:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20261204d001'
down_revision: str | None = '20261204c001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('notifications', sa.Column('said', sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column('notifications', 'said')
