"""Search over 10,000 professionals who can all reach one pincode: the worst case for search.

    python bench/search_bench.py                                  # temp SQLite file
    python bench/search_bench.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/hsa_search_bench
    python bench/search_bench.py --before                         # also time the old Python ranking

Builds a migrated database (SQLite in a temp folder; with --pg, that PostgreSQL database is
dropped and created) holding 10,000 approved, available professionals over 10 services, all in
the 80 pincodes nearest Koramangala (560034, at most ~17 km away) with radii of 20-50 km, so a
pincode-only search from 560034 has every one of them to rank, plus 10,000 customers in the
same pincodes (they share the `users` table and its coordinate index). Rows go in with
executemany, coordinates from `geo.coords_for` as the ORM hook would set them.

Then times `search.search_professionals` through a real session (one per call, opened outside
the timer, as `bench/micro.py` does): pincode only, pincode + service, name, `--calls` each,
and prints p50 / p95 / p99 and the query plan of the pincode-only statement. `--before` also
times the previous implementation (every bookable row to Python, haversine there), kept as the
oracle in tests/services/test_search_sql.py.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ORIGIN = "560034"  # Koramangala
FIRST = ["Ravi", "Sunil", "Suresh", "Priya", "Arjun", "Kavya", "Vikram", "Deepa", "Asha", "Meera", "Rahul",
         "Anil", "Lakshmi", "Manoj", "Divya", "Ganesh", "Pooja", "Kiran", "Naveen", "Shreya"]
LAST = ["Kumar", "Gowda", "Reddy", "Nair", "Singh", "Menon", "Patil", "Shah", "Rao", "Iyer", "Mehta", "Shetty",
        "Hegde", "Pillai", "Das", "Joshi", "Naidu", "Bhat", "Kamath", "Prasad"]


def shape_pincodes(shape: str) -> list[str]:
    """metro: the 80 pincodes nearest Koramangala; india: the 20 nearest each of 10 cities' head offices."""
    from bench.generate import metro_pincodes
    from hsa.services.pincodes import CITIES

    if shape == "metro":
        return metro_pincodes(80)
    return [pin for city in CITIES[:10] for pin in metro_pincodes(20, centre=city.head_office)]


def build(url: str, *, pros: int, customers: int, services: int, seed: int, shape: str = "metro") -> None:
    """Migrate `url` to head and fill it (executemany, one transaction per table)."""
    os.environ["HSA_DATABASE_URL"] = url
    from sqlalchemy import insert, text

    from bench.generate import service_catalog
    from hsa.db import engine_for
    from hsa.migrate import upgrade_to_head
    from hsa.models import ProfessionalProfile, Service, User, utcnow
    from hsa.services.geo import coords_for
    from hsa.services.pincodes import distance_km

    upgrade_to_head()
    rnd = random.Random(seed)
    pins = shape_pincodes(shape)
    now = utcnow()
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(insert(Service.__table__), [  # type: ignore[attr-defined]
            dict(id=i + 1, name=n, description=d, base_price_paise=p * 100, duration_minutes=m, is_active=True,
                 created_at=now) for i, (n, d, p, m) in enumerate(service_catalog(services))])
        rows = []
        for i in range(1, pros + customers + 1):
            pincode = rnd.choice(pins)
            lat, lon = coords_for(pincode)
            rows.append(dict(id=i, email=f"user{i}@bench.example", phone=f"+9198{i:08d}", password_hash="x",
                             full_name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {i}", address="1 Bench Road",
                             role="professional" if i <= pros else "customer", status="active",
                             pincode=pincode, lat=lat, lon=lon, failed_login_count=0, created_at=now,
                             updated_at=now))
        conn.execute(insert(User.__table__), rows)  # type: ignore[attr-defined]
        profiles = []
        for row in rows[:pros]:
            count = rnd.choice([0, 0, rnd.randint(1, 20), rnd.randint(20, 400)])
            radius = rnd.choice([20, 25, 30, 50])
            assert shape != "metro" or (distance_km(ORIGIN, row["pincode"]) or 0) <= radius
            profiles.append(dict(user_id=row["id"], service_id=rnd.randint(1, services),
                                 experience_years=rnd.randint(0, 30), bio="Bench professional",
                                 approval_status="approved", approval_reason="", is_available=True,
                                 service_radius_km=radius, rating_count=count,
                                 rating_sum=sum(rnd.choices([1, 2, 3, 4, 5], [2, 3, 10, 35, 50], k=count))))
        conn.execute(insert(ProfessionalProfile.__table__), profiles)  # type: ignore[attr-defined]
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('users_id_seq', (SELECT max(id) FROM users))"))
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def recreate_pg(url: str) -> None:
    from bench.copy_to_postgres import recreate_database

    recreate_database(url)


def percentile(sorted_ms: list[float], p: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, max(0, round(p / 100 * len(sorted_ms)) - 1))]


def time_calls(fn: Callable[..., Any], kwargs: Callable[[], dict[str, Any]], calls: int) -> list[float]:
    from hsa.db import session_scope
    from hsa.models import Role
    from hsa.services.actors import Actor

    customer = Actor(id=_customer_id, role=Role.customer, full_name="Bench")
    times = []
    for _ in range(calls):
        args = kwargs()
        with session_scope(readonly=True) as s:
            t = time.perf_counter()
            fn(session=s, actor=customer, **args)
            times.append((time.perf_counter() - t) * 1000)
    return sorted(times)


_customer_id = 0


def time_nearby(calls: int, services: int) -> None:
    """`notifications.nearby_professionals` for a new booking at ORIGIN (the 50 nearest of its service)."""
    from hsa.db import session_scope
    from hsa.models import ServiceRequest
    from hsa.services.notifications import nearby_professionals

    rnd = random.Random(1)
    times = []
    for _ in range(calls):
        req = ServiceRequest(service_id=rnd.randint(1, services), customer_id=_customer_id, pincode=ORIGIN)
        with session_scope(readonly=True) as s:
            t = time.perf_counter()
            nearby_professionals(s, req)
            times.append((time.perf_counter() - t) * 1000)
    ms = sorted(times)
    print(f"{'new-job notices':22} {'SQL':16} n={len(ms)} p50={statistics.median(ms):6.1f} ms "
          f"p95={percentile(ms, 95):6.1f} ms p99={percentile(ms, 99):6.1f} ms max={ms[-1]:6.1f} ms")


def plans(url: str, services: int) -> None:
    """The plan of each search statement (SQLite EXPLAIN QUERY PLAN / PostgreSQL EXPLAIN ANALYZE)."""
    from sqlalchemy import event

    from hsa.db import engine_for, session_scope
    from hsa.models import Role
    from hsa.services import search
    from hsa.services.actors import Actor

    engine = engine_for(url)
    seen: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
        if "professional_profiles" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    actor = Actor(id=_customer_id, role=Role.customer, full_name="Bench")
    for label, kwargs in (("pincode only", {"pincode": ORIGIN}), ("pincode + service", {"pincode": ORIGIN,
                                                                                        "service_id": 3}),
                          ("name", {"q": "Kumar"}), ("no filter", {})):
        seen.clear()
        with session_scope(readonly=True) as s:
            search.search_professionals(session=s, actor=actor, **kwargs)
        for which, (statement, parameters) in zip(("probe", "page"), seen[-2:], strict=True):
            with engine.connect() as conn:
                raw = conn.connection.dbapi_connection
                assert raw is not None
                cur = raw.cursor()
                if engine.dialect.name == "sqlite":
                    cur.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                    lines = [row[3] for row in cur.fetchall()]
                else:
                    cur.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + statement, parameters)
                    lines = [row[0] for row in cur.fetchall()]
            print(f"\nplan, {label}, {which}:\n  " + "\n  ".join(lines))
    event.remove(engine, "before_cursor_execute", record)


def main() -> None:
    global _customer_id
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="PostgreSQL URL of a database to (re)create and use instead of SQLite")
    parser.add_argument("--pros", type=int, default=10_000)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--services", type=int, default=10)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--shape", choices=["metro", "india"], default="metro",
                        help="metro: everyone within reach of 560034; india: spread over 10 cities")
    parser.add_argument("--before", action="store_true", help="also time the old Python implementation")
    parser.add_argument("--keep", help="SQLite: build (or reuse) this file instead of a temp one")
    args = parser.parse_args()
    os.environ.setdefault("HSA_DATA_DIR", tempfile.mkdtemp(prefix="hsa-search-bench-"))
    if args.pg:
        url = args.pg
        recreate_pg(url)
        fresh = True
    else:
        path = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="hsa-search-")) / "search.db"
        fresh = not path.exists()
        url = f"sqlite:///{path}"
    started = time.perf_counter()
    if fresh:
        build(url, pros=args.pros, customers=args.customers, services=args.services, seed=args.seed,
              shape=args.shape)
    os.environ["HSA_DATABASE_URL"] = url
    print(f"{url.split('@')[-1]}: {args.pros:,} professionals, {args.customers:,} customers "
          f"({'built' if fresh else 'reused'} in {time.perf_counter() - started:.1f}s)")
    _customer_id = args.pros + 1

    from hsa.services import search

    rnd = random.Random(args.seed)
    cases: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("pincode only", lambda: {"pincode": ORIGIN}),
        ("pincode + service", lambda: {"pincode": ORIGIN, "service_id": rnd.randint(1, args.services)}),
        ("name (q, no pincode)", lambda: {"q": rnd.choice(LAST)}),
    ]
    impls: list[tuple[str, Callable[..., Any]]] = [("SQL", search.search_professionals)]
    if args.before:
        from tests.services.test_search_sql import old_search_professionals

        impls.insert(0, ("before (Python)", old_search_professionals))
    for label, kwargs in cases:
        for name, fn in impls:
            time_calls(fn, kwargs, 10)  # warm caches (pincode lookups, statement cache, pages)
            ms = time_calls(fn, kwargs, args.calls)
            print(f"{label:22} {name:16} n={len(ms)} p50={statistics.median(ms):6.1f} ms "
                  f"p95={percentile(ms, 95):6.1f} ms p99={percentile(ms, 99):6.1f} ms max={ms[-1]:6.1f} ms")
    time_nearby(args.calls, args.services)
    plans(url, args.services)


if __name__ == "__main__":
    main()
