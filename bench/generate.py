"""Generate a large realistic dataset straight into a migrated database (minutes, not hours).

    python bench/generate.py --db /tmp/bench.db --customers 100000 --pros 10000 --requests 1000000

Rows go in with executemany in big transactions; one shared bcrypt hash keeps it fast (these
accounts are for load and aggregation benchmarks, not for logging in, except the printed ones).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PINCODES = ["560034", "560095", "560038", "560001", "560102", "560066", "400001", "400050", "400069", "110001",
            "110024", "600020", "600017", "500002", "700016", "411001", "380009", "302001", "226001", "682001"]
STATUSES = ["requested", "assigned", "in_progress", "completed", "closed", "cancelled"]
WEIGHTS = [10, 8, 2, 10, 60, 10]


def ts(d: datetime) -> str:
    return d.strftime("%Y-%m-%d %H:%M:%S.%f")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--pros", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    db = Path(args.db)
    db.unlink(missing_ok=True)
    os.environ["HSA_DATABASE_URL"] = f"sqlite:///{db}"
    from hsa.migrate import upgrade_to_head
    from hsa.services.demo_data import SERVICES
    from hsa.services.passwords import hash_password

    started = time.perf_counter()
    upgrade_to_head()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    now = datetime.now(UTC)
    pw = hash_password("BenchPass123")
    conn.executemany(
        "INSERT INTO services (id, name, description, base_price_paise, duration_minutes, is_active, created_at) "
        "VALUES (?, ?, ?, ?, ?, 1, ?)",
        [(i + 1, n, d, p * 100, m, ts(now)) for i, (n, d, p, m) in enumerate(SERVICES)])
    n_services = len(SERVICES)
    users = []
    for i in range(1, args.customers + args.pros + 2):
        role = "admin" if i == 1 else "customer" if i <= args.customers + 1 else "professional"
        users.append((i, f"user{i}@bench.example", f"Bench User {i}", f"+9198{i:08d}", pw, role, "active",
                      "1 Bench Road", rnd.choice(PINCODES), 0, ts(now - timedelta(days=rnd.randint(0, 400))),
                      ts(now)))
    conn.executemany("INSERT INTO users (id, email, full_name, phone, password_hash, role, status, address, pincode, "
                     "failed_login_count, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", users)
    pro_ids = list(range(args.customers + 2, args.customers + args.pros + 2))
    pro_service = {p: rnd.randint(1, n_services) for p in pro_ids}
    conn.executemany(
        "INSERT INTO professional_profiles (user_id, service_id, experience_years, bio, approval_status, "
        "approval_reason, is_available, service_radius_km, rating_count, rating_sum) VALUES (?,?,?,?,?,?,?,?,0,0)",
        [(p, s, rnd.randint(0, 30), "Bench professional", "approved" if rnd.random() < 0.9 else "pending", "", 1,
          rnd.choice([10, 15, 25])) for p, s in pro_service.items()])
    conn.commit()
    print(f"users: {len(users):,} in {time.perf_counter() - started:.1f}s", flush=True)

    batch: list[tuple] = []
    reviews: list[tuple] = []
    payments: list[tuple] = []
    rating_count: dict[int, int] = {}
    rating_sum: dict[int, int] = {}
    for rid in range(1, args.requests + 1):
        status = rnd.choices(STATUSES, WEIGHTS)[0]
        created = now - timedelta(days=rnd.random() * 365)
        scheduled = created + timedelta(days=rnd.random() * 10)
        pro = rnd.choice(pro_ids)
        service = pro_service[pro]
        price = SERVICES[service - 1][2] * 100
        has_pro = status in ("assigned", "in_progress", "completed", "closed")
        batch.append((rid, service, rnd.randint(2, args.customers + 1), pro if has_pro else None, status,
                      ts(scheduled), "1 Bench Road", rnd.choice(PINCODES), "", price, ts(created), ts(created)))
        if status == "closed":
            rating = rnd.choices([1, 2, 3, 4, 5], [2, 3, 10, 35, 50])[0]
            reviews.append((rid, batch[-1][2], pro, rating, "", ts(scheduled)))
            payments.append((rid, price, rnd.choice(["cash", "upi", "card"]), "paid", ts(scheduled)))
            rating_count[pro] = rating_count.get(pro, 0) + 1
            rating_sum[pro] = rating_sum.get(pro, 0) + rating
        if len(batch) >= 100_000:
            _flush(conn, batch, reviews, payments)
            print(f"requests: {rid:,} at {time.perf_counter() - started:.1f}s", flush=True)
    _flush(conn, batch, reviews, payments)
    conn.executemany("UPDATE professional_profiles SET rating_count = ?, rating_sum = ? WHERE user_id = ?",
                     [(rating_count[p], rating_sum[p], p) for p in rating_count])
    conn.execute("INSERT INTO audit_log (action, target_type, details, created_at) "
                 "VALUES ('bench.generate', 'db', '', ?)",
                 (ts(now),))
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    print(f"done: {args.requests:,} requests in {time.perf_counter() - started:.1f}s -> {db}")


def _flush(conn: sqlite3.Connection, batch: list, reviews: list, payments: list) -> None:
    conn.executemany("INSERT INTO service_requests (id, service_id, customer_id, professional_id, status, "
                     "scheduled_at, address, pincode, remarks, price_paise, created_at, updated_at, "
                     "extra_charge_paise, extra_charge_reason, decline_reason, cancel_reason) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0,'','','')", batch)
    conn.executemany("INSERT INTO reviews (request_id, customer_id, professional_id, rating, comment, created_at) "
                     "VALUES (?,?,?,?,?,?)", reviews)
    conn.executemany("INSERT INTO payments (request_id, amount_paise, method, status, created_at) VALUES (?,?,?,?,?)",
                     payments)
    conn.commit()
    batch.clear()
    reviews.clear()
    payments.clear()


if __name__ == "__main__":
    main()
