"""Micro-benchmarks on a generated database: search over 10,000 professionals, booking write path.

    python bench/micro.py --db /tmp/bench.db --runs 200
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def report(name: str, times: list[float]) -> None:
    times.sort()
    print(f"{name:40} n={len(times):4} p50={statistics.median(times):6.1f}ms "
          f"p95={times[int(len(times) * 0.95) - 1]:6.1f}ms max={times[-1]:6.1f}ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    os.environ["HSA_DATABASE_URL"] = f"sqlite:///{args.db}"
    import random

    from sqlmodel import func, select

    from hsa.db import session_scope
    from hsa.models import ProfessionalProfile, Role, utcnow
    from hsa.services import bookings, search
    from hsa.services.actors import Actor
    from hsa.services.scheduling import IST

    rnd = random.Random(1)
    customer = Actor(id=2, role=Role.customer, full_name="Bench")
    with session_scope(readonly=True) as s:
        pros = s.exec(select(func.count()).select_from(ProfessionalProfile)).one()
    print(f"professionals={pros:,}")
    pins = ["560034", "400050", "110001", "600020", "Koramangala"]
    for label, kwargs in (("search: service + pincode", lambda: {"service_id": rnd.randint(1, 10),
                                                                "pincode": rnd.choice(pins)}),
                          ("search: pincode only (all services)", lambda: {"pincode": rnd.choice(pins)}),
                          ("search: name", lambda: {"q": f"User {rnd.randint(100000, 110000)}"})):
        times = []
        for _ in range(args.runs):
            with session_scope(readonly=True) as s:
                t = time.perf_counter()
                search.search_professionals(session=s, actor=customer, **kwargs())
                times.append((time.perf_counter() - t) * 1000)
        report(label, times)
    day = (utcnow().astimezone(IST) + timedelta(days=3)).date().isoformat()
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        with session_scope() as s:
            bookings.create_request(session=s, actor=customer, data={
                "service_id": rnd.randint(1, 10), "day": day, "time": "10:00",
                "address": "1 Bench Road", "pincode": "560034"})
        times.append((time.perf_counter() - t) * 1000)
    report("booking write path (validate+insert+audit)", times)


if __name__ == "__main__":
    main()
