"""disputes: a customer's complaint about a completed job, the professional's answer, support's decision

Revision ID: 20261202h001
Revises: 20261202g001
Create Date: 2026-12-02 18:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20261202h001'
down_revision: str | None = '20261202g001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, native_enum=False, create_constraint=True, length=32, name=name)


def upgrade() -> None:
    op.create_table(
        'disputes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('request_id', sa.Integer(), sa.ForeignKey('service_requests.id'), nullable=False, unique=True),
        sa.Column('customer_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('professional_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('reason', _enum('ck_disputereason', 'not_done', 'poor_quality', 'damage', 'overcharged',
                                  'behaviour', 'other'), nullable=False),
        sa.Column('details', sa.String(length=1000), nullable=False),
        sa.Column('status', _enum('ck_disputestatus', 'open', 'answered', 'decided'), nullable=False),
        sa.Column('answer', sa.String(length=1000), nullable=False, server_default=''),
        sa.Column('answered_at', TS, nullable=True),
        sa.Column('outcome', _enum('ck_disputeoutcome', 'no_action', 'refund', 'strike', 'refund_and_strike'),
                  nullable=True),
        sa.Column('refund_paise', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('decision_note', sa.String(length=500), nullable=False, server_default=''),
        sa.Column('decided_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('decided_at', TS, nullable=True),
        sa.Column('created_at', TS, nullable=False),
    )
    op.create_index('ix_disputes_customer_id', 'disputes', ['customer_id'])
    op.create_index('ix_disputes_professional_id', 'disputes', ['professional_id'])
    op.create_index('ix_disputes_status', 'disputes', ['status'])


def downgrade() -> None:
    op.drop_table('disputes')
