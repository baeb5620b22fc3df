"""languages (#19): each person's chosen language; catalog names and descriptions per language

Revision ID: 20261204c001
Revises: 20261204b001
Create Date: 2026-12-04 06:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20261204c001'
down_revision: str | None = '20261204b001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('users', sa.Column('language', sa.String(length=5), server_default='', nullable=False))
    op.add_column('services', sa.Column('translations', sa.JSON(), server_default='{}', nullable=False))


def downgrade() -> None:
    op.drop_column('services', 'translations')
    op.drop_column('users', 'language')
