"""The Demand page's read on the demo data: `demand_view` timed on a database seeded the way
./scripts/serve seeds it (demo accounts + `seed --demand-history`: 40 series, two years each).

    python bench/demand_page.py            # prints the median and 95th percentile of 200 reads
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="demand-page-"))
    env = {**os.environ, "HSA_DATABASE_URL": f"sqlite:///{folder / 'demo.db'}", "HSA_DATA_DIR": str(folder)}
    for cmd in (["migrate"], ["seed", "--demand-history"]):
        subprocess.run([sys.executable, "-m", "hsa.cli", *cmd], cwd=ROOT, env=env, check=True, capture_output=True)
    os.environ.update(env)
    from sqlmodel import select

    from hsa.db import session_scope
    from hsa.models import Role, User
    from hsa.services.actors import Actor
    from hsa.services.intelligence.demand_store import demand_view

    with session_scope() as session:
        admin = session.exec(select(User).where(User.role == Role.admin)).one()
        actor = Actor(id=admin.id, role=Role.admin, full_name=admin.full_name)
        picks = [(None, None), *[(s.service_id, s.city) for s in demand_view(session=session, actor=actor).series]]
        times = []
        for i in range(200):
            service_id, city = picks[i % len(picks)]
            started = time.perf_counter()
            view = demand_view(session=session, actor=actor, service_id=service_id, city_name=city)
            times.append((time.perf_counter() - started) * 1000)
            assert view.chosen is not None and len(view.forecast) == 14
    times.sort()
    print(f"{len(view.series)} series; demand_view over 200 reads: median {statistics.median(times):.1f} ms, "
          f"p95 {times[int(0.95 * len(times)) - 1]:.1f} ms, max {times[-1]:.1f} ms")


if __name__ == "__main__":
    main()
