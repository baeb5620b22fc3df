"""demand forecasts (#18): per service x city x day ahead, and per service x city (method, backtest, recruit)

Revision ID: 20261203b001
Revises: 20261203a001
Create Date: 2026-12-03 11:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hsa.models.common

revision: str = '20261203b001'
down_revision: str | None = '20261203a001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'demand_forecasts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('city', sa.String(length=60), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('point', sa.Float(), nullable=False),
        sa.Column('lower', sa.Float(), nullable=False),
        sa.Column('upper', sa.Float(), nullable=False),
        sa.Column('method', sa.String(length=32), nullable=False),
        sa.Column('method_label', sa.String(length=60), nullable=False),
        sa.Column('model_version', sa.String(length=32), nullable=False),
        sa.Column('computed_at', hsa.models.common.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_demand_forecasts_service_id_services')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_demand_forecasts')),
        sa.UniqueConstraint('service_id', 'city', 'day', name='uq_demand_forecasts_series_day'),
    )
    op.create_table(
        'demand_series',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('service_name', sa.String(length=80), nullable=False),
        sa.Column('city', sa.String(length=60), nullable=False),
        sa.Column('method', sa.String(length=32), nullable=False),
        sa.Column('method_label', sa.String(length=60), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('model_version', sa.String(length=32), nullable=False),
        sa.Column('history_days', sa.Integer(), nullable=False),
        sa.Column('backtest_origins', sa.Integer(), nullable=False),
        sa.Column('mase_model', sa.Float(), nullable=True),
        sa.Column('mase_naive', sa.Float(), nullable=True),
        sa.Column('smape_model', sa.Float(), nullable=True),
        sa.Column('smape_naive', sa.Float(), nullable=True),
        sa.Column('history_start', sa.Date(), nullable=False),
        sa.Column('history', sa.String(length=2000), nullable=False),
        sa.Column('demand_14d', sa.Float(), nullable=False),
        sa.Column('professionals', sa.Integer(), nullable=False),
        sa.Column('capacity_14d', sa.Float(), nullable=False),
        sa.Column('shortfall_14d', sa.Float(), nullable=False),
        sa.Column('recruit', sa.Integer(), nullable=False),
        sa.Column('computed_at', hsa.models.common.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_demand_series_service_id_services')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_demand_series')),
        sa.UniqueConstraint('service_id', 'city', name='uq_demand_series_service_city'),
    )


def downgrade() -> None:
    op.drop_table('demand_series')
    op.drop_table('demand_forecasts')
