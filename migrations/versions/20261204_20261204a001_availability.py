"""availability (#19): weekly hours, buffer and booking horizon per professional; date overrides;
a professional's jobs by time (slot computation)

Revision ID: 20261204a001
Revises: 20261203c001
Create Date: 2026-12-04 03:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hsa.models.common

revision: str = '20261204a001'
down_revision: str | None = '20261203c001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as in 20261202c001 (hsa.models.user.SHRUNK_RATING_INDEX): SQLite's batch rebuild drops expression indexes
SHRUNK_RATING = "((CAST(40.0 AS DOUBLE PRECISION) + rating_sum) / (10 + rating_count))"


def _restore_rating_index() -> None:
    """A SQLite batch rebuild copies plain indexes but not the expression one; put it back."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_professional_profiles_shrunk_rating")
        op.create_index('ix_professional_profiles_shrunk_rating', 'professional_profiles',
                        [sa.text(SHRUNK_RATING)], unique=False)


def upgrade() -> None:
    # Batch mode: SQLite adds CHECK constraints only by rebuilding the table.
    with op.batch_alter_table('professional_profiles') as batch:
        batch.add_column(sa.Column('weekly_hours', sa.String(length=600), server_default='', nullable=False))
        batch.add_column(sa.Column('buffer_minutes', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('horizon_days', sa.Integer(), server_default='60', nullable=False))
        batch.create_check_constraint('ck_pro_buffer', 'buffer_minutes >= 0 AND buffer_minutes <= 120')
        batch.create_check_constraint('ck_pro_horizon', 'horizon_days >= 1 AND horizon_days <= 60')
    _restore_rating_index()
    op.create_table(
        'availability_overrides',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('hours', sa.String(length=120), nullable=False),
        sa.Column('created_at', hsa.models.common.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_availability_overrides_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_availability_overrides')),
        sa.UniqueConstraint('user_id', 'day', name='uq_availability_overrides_user_day'),
    )
    op.create_index('ix_availability_overrides_day', 'availability_overrides', ['day'], unique=False)
    op.create_index('ix_requests_pro_scheduled', 'service_requests', ['professional_id', 'scheduled_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_requests_pro_scheduled', table_name='service_requests')
    op.drop_index('ix_availability_overrides_day', table_name='availability_overrides')
    op.drop_table('availability_overrides')
    with op.batch_alter_table('professional_profiles') as batch:
        batch.drop_constraint('ck_pro_horizon', type_='check')
        batch.drop_constraint('ck_pro_buffer', type_='check')
        batch.drop_column('horizon_days')
        batch.drop_column('buffer_minutes')
        batch.drop_column('weekly_hours')
    _restore_rating_index()
