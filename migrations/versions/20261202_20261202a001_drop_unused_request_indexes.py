"""drop unused request indexes

Revision ID: 20261202a001
Revises: 20261201a001
Create Date: 2026-12-02 07:30:00

The three (x, updated_at) indexes and the single `updated_at` index served only the board's
change-marker polling, which live push replaced (issue #14). EXPLAIN QUERY PLAN over the
board, open pool, admin searches, dashboard, reminders and account settling on the
1,000,000-request bench database shows no query seeking on them (bench/RESULTS.md,
"Unused request indexes"); each still cost a B-tree write on every request insert and update.

Plain DROP/CREATE INDEX, not `batch_alter_table`: an index change needs no table copy, and a
copied `service_requests` would lose the request-status-counter triggers on SQLite.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '20261202a001'
down_revision: str | None = '20261201a001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# name -> columns, as the initial schema and 06b33bb30c29 created them
INDEXES: dict[str, list[str]] = {
    'ix_requests_service_updated': ['service_id', 'updated_at'],
    'ix_requests_pro_updated': ['professional_id', 'updated_at'],
    'ix_requests_preferred_updated': ['preferred_professional_id', 'updated_at'],
    'ix_service_requests_updated_at': ['updated_at'],
}


def upgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name='service_requests')


def downgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, 'service_requests', columns, unique=False)
