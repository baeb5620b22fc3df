"""Time the admin dashboard aggregation (stats.dashboard) on a generated database.

    python bench/summary.py --db /tmp/bench.db --runs 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ["HSA_DATABASE_URL"] = f"sqlite:///{args.db}"
    from sqlmodel import func, select

    from hsa.db import session_scope
    from hsa.models import Role, ServiceRequest
    from hsa.services import stats
    from hsa.services.actors import Actor

    admin = Actor(id=1, role=Role.admin, full_name="Bench Admin")
    with session_scope(readonly=True) as s:
        total = s.exec(select(func.count()).select_from(ServiceRequest)).one()
        stats.dashboard(session=s, actor=admin)  # warm the page cache
    times = []
    for _ in range(args.runs):
        with session_scope(readonly=True) as s:
            t = time.perf_counter()
            d = stats.dashboard(session=s, actor=admin)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"requests={total:,} runs={args.runs} p50={statistics.median(times):.1f}ms "
          f"p95={times[int(len(times) * 0.95) - 1]:.1f}ms max={times[-1]:.1f}ms")
    print(f"by_status={d.by_status} today={d.requests_today} rating={d.average_rating}")


if __name__ == "__main__":
    main()
