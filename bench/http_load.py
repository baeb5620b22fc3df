"""Plain HTTP load test of the public API: 100 concurrent clients for a fixed time.

    HSA_DATABASE_URL=... python bench/http_load.py --base http://localhost:8123 --seconds 60 --clients 100

Each client is its own customer (created if missing, token issued straight into the database so
login rate limits and bcrypt do not skew the run) and loops: GET /services, then POST /bookings.
Reports requests/s and p50/p95/p99 latency per endpoint and every non-2xx or transport error.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def tokens(count: int) -> list[str]:
    from sqlmodel import select

    from hsa.db import session_scope
    from hsa.models import Role, User
    from hsa.services import sessions

    out = []
    with session_scope() as s:
        existing = s.exec(select(User).where(User.role == Role.customer, User.status == "active")
                          .order_by(User.id).limit(count)).all()
        template = existing[0].password_hash if existing else "x"
        users = list(existing)
        for i in range(len(users), count):
            user = User(email=f"load{i}@bench.example", full_name=f"Load User {i}", phone=f"+9197{i:08d}",
                        password_hash=template, role=Role.customer, address="1 Load Street", pincode="560034")
            s.add(user)
            users.append(user)
        s.flush()
        for user in users:
            out.append(sessions.issue_session(session=s, user_id=user.id))
        s.commit()
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else 0.0


async def client(base: str, token: str, until: float, service_ids: list[int], day: str,
                 lat: dict[str, list[float]], errors: dict[str, int]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http:
        while time.monotonic() < until:
            for name, call in (
                ("GET /services", lambda: http.get("/api/v1/services")),
                ("POST /bookings", lambda: http.post("/api/v1/bookings", json={
                    "service_id": random.choice(service_ids), "day": day, "time": "10:00",
                    "address": "12, 4th Cross, Koramangala", "pincode": "560034", "remarks": "load"})),
            ):
                start = time.perf_counter()
                try:
                    response = await call()
                    ok = response.status_code < 300
                except httpx.HTTPError:
                    ok = False
                lat[name].append((time.perf_counter() - start) * 1000)
                if not ok:
                    errors[name] += 1


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=100)
    args = parser.parse_args()
    from hsa.models import utcnow
    from hsa.services.scheduling import IST

    toks = tokens(args.clients)
    async with httpx.AsyncClient(base_url=args.base) as http:
        service_ids = [s["id"] for s in (await http.get("/api/v1/services")).json()
                       if s["duration_minutes"] <= 120]
    day = (utcnow().astimezone(IST) + timedelta(days=3)).date().isoformat()
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    started = time.monotonic()
    await asyncio.gather(*(client(args.base, t, started + args.seconds, service_ids, day, lat, errors)
                           for t in toks))
    elapsed = time.monotonic() - started
    total = sum(len(v) for v in lat.values())
    print(f"clients={args.clients} seconds={elapsed:.0f} requests={total} rps={total / elapsed:.0f} "
          f"errors={sum(errors.values())}")
    for name, values in sorted(lat.items()):
        print(f"  {name:16} n={len(values):6} rps={len(values) / elapsed:6.0f} p50={statistics.median(values):6.1f}ms "
              f"p95={pct(values, 0.95):6.1f}ms p99={pct(values, 0.99):6.1f}ms errors={errors[name]}")


if __name__ == "__main__":
    asyncio.run(main())
