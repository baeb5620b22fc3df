"""Write the planted demand (hsa.services.intelligence.demand_synth) as real requests, for the backtest
and the forecast job's timing.

    python bench/demand_data.py --db /tmp/demand.db        # a migrated database with these requests
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Connection, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hsa.services.intelligence.demand_synth import BASE, CITIES, HISTORY_DAYS, Series, generate  # noqa: E402


def write_requests(conn: Connection, series: list[Series], *, service_ids: dict[str, int], customer_id: int) -> int:
    """Insert one closed request per planted count, made that IST day at 10:00, through a SQLAlchemy
    connection (any dialect; the caller commits); returns the rows written."""
    from hsa.models import ServiceRequest

    rows = []
    for s in series:
        for day, count in zip(s.days, s.counts, strict=True):
            made = datetime.combine(day, time(4, 30), tzinfo=UTC)  # 10:00 IST
            rows += [dict(service_id=service_ids[s.service], customer_id=customer_id, status="closed",
                          scheduled_at=made, address="Demand bench", pincode=s.pincode, remarks="", price_paise=0,
                          extra_charge_paise=0, extra_charge_reason="", decline_reason="", cancel_reason="",
                          start_code="", created_at=made, updated_at=made)] * int(count)
    for i in range(0, len(rows), 20_000):
        conn.execute(insert(ServiceRequest.__table__), rows[i:i + 20_000])  # type: ignore[attr-defined]
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file to create (migrated, demo data, then the requests)")
    parser.add_argument("--end", help="last day of history (default yesterday, IST)")
    args = parser.parse_args()
    import os

    os.environ["HSA_DATABASE_URL"] = f"sqlite:///{args.db}"
    from hsa.db import session_scope
    from hsa.migrate import upgrade_to_head
    from hsa.services.demo_data import load_demo_data
    from hsa.services.scheduling import IST

    upgrade_to_head()
    with session_scope() as session:
        load_demo_data(session=session)
    end = date.fromisoformat(args.end) if args.end else datetime.now(IST).date() - timedelta(days=1)
    with session_scope() as session:
        conn = session.connection()
        ids = {name: sid for name, sid in conn.execute(text("SELECT name, id FROM services"))}
        customer = conn.execute(text("SELECT id FROM users WHERE role = 'customer' ORDER BY id LIMIT 1")).scalar_one()
        written = write_requests(conn, generate(end=end), service_ids=ids, customer_id=customer)
        session.commit()
    print(f"{written} requests over {HISTORY_DAYS} days, {len(BASE)} services x {len(CITIES)} cities in {args.db}")


if __name__ == "__main__":
    main()
