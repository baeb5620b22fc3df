"""reviews: a professional's flag (reason, note), the moderator's decision, and hidden reviews

Revision ID: 20261202j001
Revises: 20261202i001
Create Date: 2026-12-02 22:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20261202j001'
down_revision: str | None = '20261202i001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('reviews') as batch:
        batch.add_column(sa.Column('flag_reason', sa.String(length=32), nullable=False, server_default=''))
        batch.add_column(sa.Column('flag_note', sa.String(length=500), nullable=False, server_default=''))
        batch.add_column(sa.Column('flagged_at', TS, nullable=True))
        batch.add_column(sa.Column('hidden_at', TS, nullable=True))
        batch.add_column(sa.Column('moderated_at', TS, nullable=True))
        batch.add_column(sa.Column('moderated_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('moderation_note', sa.String(length=500), nullable=False, server_default=''))
    op.create_index('ix_reviews_flagged_at', 'reviews', ['flagged_at'])


def downgrade() -> None:
    op.drop_index('ix_reviews_flagged_at', table_name='reviews')
    with op.batch_alter_table('reviews') as batch:
        for name in ('moderation_note', 'moderated_by_id', 'moderated_at', 'hidden_at', 'flagged_at', 'flag_note',
                     'flag_reason'):
            batch.drop_column(name)
