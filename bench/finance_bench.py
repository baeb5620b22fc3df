"""Time the admin Finance page's queries and a full requests export on a big database.

    python bench/generate.py --db /tmp/bench.db          # 1,000,000 requests (minutes)
    PYTHONPATH=. python bench/finance_bench.py --db /tmp/bench.db

`generate.py` writes payments but no journal, so the first run adds one the way the app would
have posted it (INSERT … SELECT, ~4 million lines): a charge for every completed or closed job,
a gateway payment or cash for every payment row, a refund of half the bill on 3 % of them and a
payout to every professional every four weeks, inserted in time order as the app writes them
(in request order every range scan would jump around the table). Then it prints each query's
EXPLAIN QUERY PLAN and the times of the report (last 30 and 365 days), of payouts due and of the
dashboard, and the time and peak memory of exporting every request in chunks.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GST = "((price_paise + 4900) * 18 / 100)"
JOURNAL = [  # (kind, account, amount SQL, user column, FROM/WHERE); amounts as `postings` signs them
    ("charge", "customer_receivable", f"price_paise + 4900 + {GST}", "customer_id", "DONE"),
    ("charge", "professional_payable", "-(price_paise - price_paise / 5)", "professional_id", "DONE"),
    ("charge", "platform_commission", "-(price_paise / 5 + 4900)", "NULL", "DONE"),
    ("charge", "gst_payable", f"-{GST}", "NULL", "DONE"),
    ("payment", "gateway_clearing", f"price_paise + 4900 + {GST}", "NULL", "ONLINE"),
    ("payment", "customer_receivable", f"-(price_paise + 4900 + {GST})", "customer_id", "ONLINE"),
    ("cash", "professional_payable", f"price_paise + 4900 + {GST}", "professional_id", "CASH"),
    ("cash", "customer_receivable", f"-(price_paise + 4900 + {GST})", "customer_id", "CASH"),
    ("refund", "customer_receivable", "(price_paise + 4900) / 2", "customer_id", "REFUND"),
    ("refund", "refunds", "-((price_paise + 4900) / 2)", "NULL", "REFUND"),
]
SOURCES = {
    "DONE": "FROM service_requests r WHERE r.status IN ('completed', 'closed')",
    "ONLINE": "FROM service_requests r JOIN payments p ON p.request_id = r.id WHERE p.method != 'cash'",
    "CASH": "FROM service_requests r JOIN payments p ON p.request_id = r.id WHERE p.method = 'cash'",
    "REFUND": "FROM service_requests r JOIN payments p ON p.request_id = r.id WHERE r.id % 33 = 0",
}


def add_journal(db: Path) -> None:
    conn = sqlite3.connect(db)
    if conn.execute("SELECT count(*) FROM ledger_entries").fetchone()[0]:
        return
    started = time.perf_counter()
    cols = "txn, kind, account, amount_paise, request_id, user_id, created_at"
    conn.execute(f"CREATE TEMP TABLE journal AS SELECT {cols} FROM ledger_entries WHERE 0")  # noqa: S608
    for kind, account, amount, user, source in JOURNAL:
        when = "r.scheduled_at" if source == "DONE" else "p.created_at"
        conn.execute(f"INSERT INTO journal ({cols}) "  # noqa: S608
                     f"SELECT '{kind}-' || r.id, '{kind}', '{account}', {amount}, r.id, "
                     f"{'r.' + user if user != 'NULL' else 'NULL'}, {when} {SOURCES[source]}")
    conn.execute(f"INSERT INTO journal ({cols}) "  # noqa: S608
                 "SELECT 'payout-' || u.id || '-' || w.n, 'payout', line.account, line.sign * 150000, NULL, "
                 "CASE WHEN line.sign = 1 THEN u.id END, datetime('now', printf('-%d days', w.n * 28)) "
                 "FROM users u, (WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 12) "
                 "SELECT n FROM k) w, (SELECT 'professional_payable' AS account, 1 AS sign "
                 "UNION ALL SELECT 'payouts', -1) line WHERE u.role = 'professional'")
    conn.execute(f"INSERT INTO ledger_entries ({cols}) SELECT {cols} FROM journal ORDER BY created_at")  # noqa: S608
    conn.commit()
    conn.execute("ANALYZE")
    n = conn.execute("SELECT count(*) FROM ledger_entries").fetchone()[0]
    print(f"journal: {n:,} lines in {time.perf_counter() - started:.1f}s")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args()
    add_journal(args.db)
    os.environ["HSA_DATABASE_URL"] = f"sqlite:///{args.db}"
    os.environ.setdefault("HSA_DATA_DIR", tempfile.mkdtemp(prefix="finance-bench-"))
    from sqlalchemy import event
    from sqlmodel import select

    from hsa.db import get_engine, session_scope
    from hsa.models import Role, User, utcnow
    from hsa.services import exports, stats
    from hsa.services.actors import Actor
    from hsa.services.money import finance

    statements: list[tuple[str, tuple]] = []
    event.listen(get_engine(), "before_cursor_execute",
                 lambda conn, cursor, sql, params, context, many: statements.append((sql, tuple(params or ()))))
    with session_scope(readonly=True) as s:
        boss = s.exec(select(User).where(User.role == Role.admin)).first()
        assert boss is not None and boss.id is not None
        admin = Actor(id=boss.id, role=Role.admin, full_name=boss.full_name)
        year_ago = utcnow().date().replace(year=utcnow().year - 1).isoformat()
        for label, call in (("finance_report, 30 days", lambda: finance.finance_report(session=s, actor=admin)),
                            ("finance_report, 365 days",
                             lambda: finance.finance_report(session=s, actor=admin, date_from=year_ago)),
                            ("payouts_due", lambda: finance.payouts_due(session=s, actor=admin)),
                            ("figures_between, 30 days (the dashboard's revenue on a 30th)",
                             lambda: finance.figures_between(s, utcnow() - timedelta(days=30), utcnow())),
                            ("stats.dashboard", lambda: stats.dashboard(session=s, actor=admin))):
            statements.clear()
            started = time.perf_counter()
            call()
            print(f"{label}: {(time.perf_counter() - started) * 1000:.0f} ms, {len(statements)} queries")
            if label.startswith("stats"):
                continue
            raw = s.connection().connection.dbapi_connection
            assert raw is not None
            for sql, params in statements:
                plan = [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
                print("   ", " ".join(sql.split())[:100], "\n      ", " | ".join(plan))
    if args.no_export:
        return
    with session_scope(readonly=True) as s:
        started = time.perf_counter()
        job = exports.start_export(session=s, actor=admin, kind="requests")
        done = exports.run_export(session=s, actor=admin, export_id=job.id)
        took = time.perf_counter() - started
        size = (exports.exports_dir() / f"{job.id}.csv").stat().st_size
        print(f"requests export: {done.done:,} rows, {size / 1e6:.0f} MB in {took:.1f}s; peak RSS "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
