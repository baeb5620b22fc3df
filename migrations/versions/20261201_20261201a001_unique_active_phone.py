"""one live account per mobile number

Revision ID: 20261201a001
Revises: 20261201b001
Create Date: 2026-12-01 09:00:00

A partial unique index on users.phone over accounts that are not deleted (deleted accounts
are anonymised and keep no number). Existing duplicates would make the index fail half-way
with a bare IntegrityError, so they are looked for first and named in a clear message: an
operator must decide which account keeps the number.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20261201a001'
down_revision: str | None = '20261201b001'  # the idempotency-keys migration landed first
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_ACCOUNT = "status != 'deleted'"


def upgrade() -> None:
    clashes = op.get_bind().execute(sa.text(
        f"SELECT phone, COUNT(*) FROM users WHERE {LIVE_ACCOUNT} GROUP BY phone HAVING COUNT(*) > 1")).all()
    if clashes:
        listed = ", ".join(f"{phone or '(empty)'} x{n}" for phone, n in clashes[:20])
        raise RuntimeError(f"{len(clashes)} mobile number(s) are shared by live accounts ({listed}); "
                           "change or delete the extra accounts, then migrate again.")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ux_users_phone_active', ['phone'], unique=True,
                              sqlite_where=sa.text(LIVE_ACCOUNT), postgresql_where=sa.text(LIVE_ACCOUNT))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ux_users_phone_active')
