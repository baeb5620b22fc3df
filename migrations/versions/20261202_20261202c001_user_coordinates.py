"""users.lat / users.lon (each user's pincode centroid) and an index on the shrunk rating: search in SQL

Revision ID: 20261202c001
Revises: 20261202b001
Create Date: 2026-12-02 12:00:00

Plain ADD COLUMN and CREATE INDEX (no table copy, so no trigger is lost). Existing users are
backfilled from the offline pincode data, one UPDATE per distinct pincode (through
`ix_users_pincode`), before the indexes are built; from then on `hsa.services.geo` keeps the
columns in step with `pincode`.

- `ix_users_pro_location (role, status, lat, lon)`: the bounding box around a searched pincode,
  professionals only (customers have coordinates too and would be walked by a plain (lat, lon)).
- `ix_professional_profiles_shrunk_rating`: an index on search's shrunk-rating expression, so
  search can take the best-rated first and skip those who cannot make the page.
See bench/RESULTS.md, "Search over 10,000 professionals".
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20261202c001'
down_revision: str | None = '20261202b001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# search's shrunk rating (PRIOR_MEAN 4.0 x PRIOR_WEIGHT 10), as hsa.services.search.SHRUNK_RATING_SQL renders it
SHRUNK_RATING = "((CAST(40.0 AS DOUBLE PRECISION) + rating_sum) / (10 + rating_count))"


def upgrade() -> None:
    from hsa.services.pincodes import centroid

    op.add_column('users', sa.Column('lat', sa.Float(), nullable=True))
    op.add_column('users', sa.Column('lon', sa.Float(), nullable=True))
    conn = op.get_bind()
    pincodes = [p for (p,) in conn.execute(sa.text("SELECT DISTINCT pincode FROM users"))]
    update = sa.text("UPDATE users SET lat = :lat, lon = :lon WHERE pincode = :pincode")
    for pincode in pincodes:
        point = centroid(pincode or "")
        if point is not None:
            conn.execute(update, {"lat": point[0], "lon": point[1], "pincode": pincode})
    op.create_index('ix_users_pro_location', 'users', ['role', 'status', 'lat', 'lon'], unique=False)
    op.create_index('ix_professional_profiles_shrunk_rating', 'professional_profiles',
                    [sa.text(SHRUNK_RATING)], unique=False)
    if conn.dialect.name == "postgresql":
        # New columns and an expression index have no statistics until autovacuum gets round to
        # them; until then PostgreSQL planned the search as a scan (1.3 cores under load).
        op.execute("ANALYZE users")
        op.execute("ANALYZE professional_profiles")


def downgrade() -> None:
    op.drop_index('ix_professional_profiles_shrunk_rating', table_name='professional_profiles')
    op.drop_index('ix_users_pro_location', table_name='users')
    op.drop_column('users', 'lon')
    op.drop_column('users', 'lat')
