"""chat_messages (each booking's private thread) and reports (the admin's queue)

Revision ID: 20261202g001
Revises: 20261202f001
Create Date: 2026-12-02 18:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20261202g001'
down_revision: str | None = '20261202f001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, native_enum=False, create_constraint=True, length=32, name=name)


def upgrade() -> None:
    op.create_table(
        'chat_messages',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('request_id', sa.Integer(), sa.ForeignKey('service_requests.id'), nullable=False),
        sa.Column('sender_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('body', sa.String(length=1000), nullable=False),
        sa.Column('masked', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('read_at', TS, nullable=True),
    )
    op.create_index('ix_chat_messages_request_id_id', 'chat_messages', ['request_id', 'id'])
    op.create_table(
        'reports',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('request_id', sa.Integer(), sa.ForeignKey('service_requests.id'), nullable=False),
        sa.Column('message_id', sa.Integer(), sa.ForeignKey('chat_messages.id'), nullable=True),
        sa.Column('reporter_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('reported_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('reason', _enum('ck_reportreason', 'abuse', 'fraud', 'off_platform', 'other'), nullable=False),
        sa.Column('details', sa.String(length=1000), nullable=False, server_default=''),
        sa.Column('status', _enum('ck_reportstatus', 'open', 'closed'), nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('closed_at', TS, nullable=True),
        sa.Column('closed_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('outcome', sa.String(length=500), nullable=False, server_default=''),
    )
    op.create_index('ix_reports_request_id', 'reports', ['request_id'])
    op.create_index('ix_reports_reported_id', 'reports', ['reported_id'])
    op.create_index('ix_reports_status', 'reports', ['status'])


def downgrade() -> None:
    op.drop_table('reports')
    op.drop_table('chat_messages')
