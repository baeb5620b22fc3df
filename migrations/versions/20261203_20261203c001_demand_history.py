"""imported demand history (#18): past daily requests per service x city from outside the app

Revision ID: 20261203c001
Revises: 20261203b001
Create Date: 2026-12-03 14:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hsa.models.common

revision: str = '20261203c001'
down_revision: str | None = '20261203b001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'demand_history',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('city', sa.String(length=60), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('requests', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=60), nullable=False),
        sa.Column('imported_at', hsa.models.common.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_demand_history_service_id_services')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_demand_history')),
        sa.UniqueConstraint('service_id', 'city', 'day', 'source', name='uq_demand_history_day'),
    )


def downgrade() -> None:
    op.drop_table('demand_history')
