"""idempotency keys

Revision ID: 20261201b001
Revises: 0cf854ee0062
Create Date: 2026-12-01 22:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hsa.models.common

revision: str = '20261201b001'
down_revision: str | None = '0cf854ee0062'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'idempotency_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=80), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('result', sa.String(length=200), nullable=False),
        sa.Column('created_at', hsa.models.common.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idempotency_keys_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
        sa.UniqueConstraint('user_id', 'scope', 'key', name='uq_idempotency_keys_user_scope_key'),
    )
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_keys_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_keys_created_at'))
    op.drop_table('idempotency_keys')
