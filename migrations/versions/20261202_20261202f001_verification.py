"""Verified email and phone, single-use account links, SMS codes, the device of each session

Revision ID: 20261202f001
Revises: 20261202e001
Create Date: 2026-12-02 18:00:00

Accounts that exist before this revision are treated as verified (their `created_at` becomes the
time of proof): they were admitted under the old rules and are in the middle of bookings; new
sign-ups prove both. The phone's unique index now covers verified numbers only, so an unproven
sign-up can no longer hold someone else's number.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20261202f001'
down_revision: str | None = '20261202e001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_ACCOUNT = "status != 'deleted'"
VERIFIED_PHONE = "status != 'deleted' AND phone_verified_at IS NOT NULL"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column('users', sa.Column('email_verified_at', TS, nullable=True))
    op.add_column('users', sa.Column('phone_verified_at', TS, nullable=True))
    op.add_column('auth_sessions', sa.Column('device', sa.String(length=120), server_default='', nullable=False))
    op.execute(f"UPDATE users SET email_verified_at = created_at, phone_verified_at = created_at WHERE {LIVE_ACCOUNT}")
    op.drop_index('ux_users_phone_active', table_name='users')
    op.create_index('ux_users_phone_verified', 'users', ['phone'], unique=True,
                    sqlite_where=sa.text(VERIFIED_PHONE), postgresql_where=sa.text(VERIFIED_PHONE))
    op.create_table(
        'account_tokens',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('purpose', sa.Enum('reset_password', 'verify_email', native_enum=False, create_constraint=True,
                                     length=32, name='ck_tokenpurpose'), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False, unique=True),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('expires_at', TS, nullable=False),
        sa.Column('used_at', TS, nullable=True),
    )
    op.create_index('ix_account_tokens_user_purpose', 'account_tokens', ['user_id', 'purpose'])
    op.create_index('ix_account_tokens_expires_at', 'account_tokens', ['expires_at'])
    op.create_table(
        'phone_codes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('phone', sa.String(length=16), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('expires_at', TS, nullable=False),
        sa.Column('used_at', TS, nullable=True),
    )
    op.create_index('ix_phone_codes_user_id', 'phone_codes', ['user_id'])
    op.create_index('ix_phone_codes_expires_at', 'phone_codes', ['expires_at'])


def downgrade() -> None:
    op.drop_table('phone_codes')
    op.drop_table('account_tokens')
    op.drop_index('ux_users_phone_verified', table_name='users')
    op.create_index('ux_users_phone_active', 'users', ['phone'], unique=True,
                    sqlite_where=sa.text(LIVE_ACCOUNT), postgresql_where=sa.text(LIVE_ACCOUNT))
    with op.batch_alter_table('auth_sessions') as batch:
        batch.drop_column('device')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('phone_verified_at')
        batch.drop_column('email_verified_at')
