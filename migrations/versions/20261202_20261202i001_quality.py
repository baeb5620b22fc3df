"""quality_standings: each professional's quality level, their appeal and the admin's decision

Revision ID: 20261202i001
Revises: 20261202h001
Create Date: 2026-12-02 19:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20261202i001'
down_revision: str | None = '20261202h001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, native_enum=False, create_constraint=True, length=32, name=name)


def upgrade() -> None:
    op.create_table(
        'quality_standings',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('professional_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False, unique=True),
        sa.Column('level', _enum('ck_qualitylevel', 'ok', 'warned', 'suspended'), nullable=False),
        sa.Column('average', sa.Float(), nullable=True),
        sa.Column('rated_jobs', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('strikes', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('reason', sa.String(length=500), nullable=False, server_default=''),
        sa.Column('checked_at', TS, nullable=False),
        sa.Column('suspended_at', TS, nullable=True),
        sa.Column('appeal', sa.String(length=1000), nullable=False, server_default=''),
        sa.Column('appealed_at', TS, nullable=True),
        sa.Column('decision', _enum('ck_appealdecision', 'reinstated', 'kept'), nullable=True),
        sa.Column('decision_reason', sa.String(length=500), nullable=False, server_default=''),
        sa.Column('decided_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('decided_at', TS, nullable=True),
        sa.Column('counts_from', TS, nullable=True),
    )
    op.create_index('ix_quality_standings_level', 'quality_standings', ['level'])


def downgrade() -> None:
    op.drop_table('quality_standings')
