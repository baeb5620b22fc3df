"""Copy a generated SQLite benchmark database into a fresh PostgreSQL database (same rows, same ids).

    python bench/copy_to_postgres.py --sqlite /tmp/side.db --pg postgresql+psycopg://postgres@127.0.0.1:5432/hsa_side

bench/generate.py writes SQLite only; this lets the PostgreSQL setups run on the same data
instead of the demo seed. The target database is dropped and created, migrated to head (so its
schema, indexes and triggers are PostgreSQL's own), then every table is copied through the
models' SQLAlchemy tables (types convert on the way: text timestamps to timestamptz, 0/1 to
booleans). `request_status_counts` is not copied: the insert trigger counts the rows as they
arrive. Sequences are moved past the highest id, then ANALYZE.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHUNK = 5_000


def recreate_database(url: str, template: str | None = None) -> None:
    """DROP and CREATE the database that `url` names (connecting to `postgres` for it)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"' + (f' TEMPLATE "{template}"' if template else "")))
    admin.dispose()


def copy(sqlite_path: str, pg_url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, func, select, text
    from sqlmodel import SQLModel

    import hsa.models  # noqa: F401 - every table on SQLModel.metadata
    from hsa.migrate import upgrade_to_head

    recreate_database(pg_url)
    os.environ["HSA_DATABASE_URL"] = pg_url
    upgrade_to_head()
    src = create_engine(f"sqlite:///{sqlite_path}")
    dst = create_engine(pg_url)
    counts: dict[str, int] = {}
    with src.connect() as reader, dst.begin() as writer:
        for table in SQLModel.metadata.sorted_tables:
            if table.name == "request_status_counts":
                continue
            rows = reader.execute(select(table)).mappings()
            n = 0
            while chunk := [dict(row) for row in rows.fetchmany(CHUNK)]:
                writer.execute(table.insert(), chunk)
                n += len(chunk)
            counts[table.name] = n
            if "id" in table.c and n:
                top = writer.execute(select(func.max(table.c.id))).scalar_one()
                writer.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
                               {"t": table.name, "v": top})
    with dst.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    src.dispose()
    dst.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", required=True)
    parser.add_argument("--pg", required=True, help="postgresql+psycopg://user@host:port/database (dropped first)")
    args = parser.parse_args()
    started = time.perf_counter()
    counts = copy(args.sqlite, args.pg)
    print(", ".join(f"{name} {n:,}" for name, n in counts.items() if n))
    print(f"copied in {time.perf_counter() - started:.1f}s -> {args.pg}")


if __name__ == "__main__":
    main()
