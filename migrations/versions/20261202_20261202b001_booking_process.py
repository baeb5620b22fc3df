"""booking process: start code, reschedule proposals, extra-charge consent, per-service caps

Revision ID: 20261202b001
Revises: 20261202a001
Create Date: 2026-12-02 06:40:00

Only ADD COLUMN and CREATE TABLE: `service_requests` must never go through `batch_alter_table`
on SQLite (it recreates the table and drops the request-status-counter triggers).
"""
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hsa.models.common

revision: str = '20261202b001'
down_revision: str | None = '20261202a001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TS = hsa.models.common.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.add_column('service_requests', sa.Column('start_code', sa.String(length=4), nullable=False,
                                                server_default=''))
    op.add_column('service_requests', sa.Column('start_code_tries', sa.Integer(), nullable=False,
                                                server_default='0'))
    # Jobs accepted before this release get their code now (else nobody could start them).
    conn = op.get_bind()
    accepted = conn.execute(sa.text("SELECT id FROM service_requests WHERE status IN ('assigned', 'in_progress')"))
    for (request_id,) in accepted.fetchall():
        conn.execute(sa.text("UPDATE service_requests SET start_code = :code WHERE id = :id"),
                     {"code": f"{secrets.randbelow(10_000):04d}", "id": request_id})
    op.add_column('service_requests', sa.Column('reschedule_to', UTC_TS, nullable=True))
    op.add_column('service_requests', sa.Column('reschedule_by_id', sa.Integer(), nullable=True))
    op.add_column('services', sa.Column('extra_cap_factor', sa.Integer(), nullable=False, server_default='3'))
    op.add_column('services', sa.Column('completion_code', sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    op.create_table(
        'extra_charges',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('amount_paise', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('status', sa.Enum('proposed', 'approved', 'rejected', 'withdrawn', name='ck_extrachargestatus',
                                    native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('proposed_by_id', sa.Integer(), nullable=False),
        sa.Column('proposed_at', UTC_TS, nullable=False),
        sa.Column('decided_at', UTC_TS, nullable=True),
        sa.CheckConstraint('amount_paise > 0', name='ck_extra_amount'),
        sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_extra_charges_proposed_by_id_users')),
        sa.ForeignKeyConstraint(['request_id'], ['service_requests.id'],
                                name=op.f('fk_extra_charges_request_id_service_requests')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_extra_charges')),
    )
    op.create_index('ix_extra_charges_request_status', 'extra_charges', ['request_id', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_extra_charges_request_status', table_name='extra_charges')
    op.drop_table('extra_charges')
    op.drop_column('services', 'completion_code')
    op.drop_column('services', 'extra_cap_factor')
    for column in ('reschedule_by_id', 'reschedule_to', 'start_code_tries', 'start_code'):
        op.drop_column('service_requests', column)
