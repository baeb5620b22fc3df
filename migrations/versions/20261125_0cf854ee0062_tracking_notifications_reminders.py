"""tracking, notifications and reminders: three new tables

Revision ID: 0cf854ee0062
Revises: 06b33bb30c29
Create Date: 2026-11-25 19:38:13.951518

Only CREATE TABLE / CREATE INDEX: no existing table is altered. In particular
`service_requests` must never go through `batch_alter_table` on SQLite, which recreates the
table and silently drops the request-status-counter triggers.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hsa.models.common

revision: str = '0cf854ee0062'
down_revision: str | None = '06b33bb30c29'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TS = hsa.models.common.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'job_locations',
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('professional_id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('en_route_at', UTC_TS, nullable=False),
        sa.Column('lat', sa.Float(), nullable=True),
        sa.Column('lon', sa.Float(), nullable=True),
        sa.Column('accuracy_m', sa.Float(), nullable=True),
        sa.Column('recorded_at', UTC_TS, nullable=True),
        sa.CheckConstraint('accuracy_m IS NULL OR accuracy_m >= 0', name='ck_job_location_accuracy'),
        sa.CheckConstraint('lat IS NULL OR (lat >= -90 AND lat <= 90)', name='ck_job_location_lat'),
        sa.CheckConstraint('lon IS NULL OR (lon >= -180 AND lon <= 180)', name='ck_job_location_lon'),
        sa.ForeignKeyConstraint(['customer_id'], ['users.id'], name=op.f('fk_job_locations_customer_id_users')),
        sa.ForeignKeyConstraint(['professional_id'], ['users.id'],
                                name=op.f('fk_job_locations_professional_id_users')),
        sa.ForeignKeyConstraint(['request_id'], ['service_requests.id'],
                                name=op.f('fk_job_locations_request_id_service_requests')),
        sa.PrimaryKeyConstraint('request_id', name=op.f('pk_job_locations')),
    )
    op.create_index(op.f('ix_job_locations_customer_id'), 'job_locations', ['customer_id'], unique=False)
    op.create_index(op.f('ix_job_locations_professional_id'), 'job_locations', ['professional_id'], unique=False)

    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('booking', 'new_job', 'approval', 'payment', 'review', 'on_the_way', 'reminder',
                                  name='ck_notificationkind', native_enum=False, create_constraint=True, length=32),
                  nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTC_TS, nullable=False),
        sa.Column('read_at', UTC_TS, nullable=True),
        sa.ForeignKeyConstraint(['request_id'], ['service_requests.id'],
                                name=op.f('fk_notifications_request_id_service_requests')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    )
    op.create_index('ix_notifications_user_id_id', 'notifications', ['user_id', 'id'], unique=False)
    op.create_index('ix_notifications_user_read_id', 'notifications', ['user_id', 'read_at', 'id'], unique=False)

    op.create_table(
        'reminders_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTC_TS, nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_attempt_at', UTC_TS, nullable=True),
        sa.Column('emailed_at', UTC_TS, nullable=True),
        sa.ForeignKeyConstraint(['request_id'], ['service_requests.id'],
                                name=op.f('fk_reminders_sent_request_id_service_requests')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminders_sent_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
        sa.UniqueConstraint('kind', 'key', name='uq_reminders_sent_kind_key'),
    )
    op.create_index(op.f('ix_reminders_sent_created_at'), 'reminders_sent', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reminders_sent_created_at'), table_name='reminders_sent')
    op.drop_table('reminders_sent')
    op.drop_index('ix_notifications_user_read_id', table_name='notifications')
    op.drop_index('ix_notifications_user_id_id', table_name='notifications')
    op.drop_table('notifications')
    op.drop_index(op.f('ix_job_locations_professional_id'), table_name='job_locations')
    op.drop_index(op.f('ix_job_locations_customer_id'), table_name='job_locations')
    op.drop_table('job_locations')
