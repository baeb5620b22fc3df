"""public professional profiles (#19): languages and a photo per professional; customers' favourites

Revision ID: 20261204b001
Revises: 20261204a001
Create Date: 2026-12-04 04:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hsa.models.common

revision: str = '20261204b001'
down_revision: str | None = '20261204a001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('professional_profiles', sa.Column('languages', sa.String(length=100), server_default='',
                                                     nullable=False))
    op.add_column('professional_profiles', sa.Column('photo_stored_name', sa.String(length=80), nullable=True))
    op.add_column('professional_profiles', sa.Column('photo_content_type', sa.String(length=50), nullable=True))
    op.create_table(
        'favourites',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('professional_id', sa.Integer(), nullable=False),
        sa.Column('created_at', hsa.models.common.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['users.id'], name=op.f('fk_favourites_customer_id_users')),
        sa.ForeignKeyConstraint(['professional_id'], ['users.id'], name=op.f('fk_favourites_professional_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_favourites')),
        sa.UniqueConstraint('customer_id', 'professional_id', name='uq_favourites_pair'),
    )
    op.create_index(op.f('ix_favourites_customer_id'), 'favourites', ['customer_id'], unique=False)
    op.create_index(op.f('ix_favourites_professional_id'), 'favourites', ['professional_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_favourites_professional_id'), table_name='favourites')
    op.drop_index(op.f('ix_favourites_customer_id'), table_name='favourites')
    op.drop_table('favourites')
    op.drop_column('professional_profiles', 'photo_content_type')
    op.drop_column('professional_profiles', 'photo_stored_name')
    op.drop_column('professional_profiles', 'languages')
