"""Slot computation for a pincode with 10,000 professionals of one service in reach (issue #19).

    python bench/slot_bench.py                                  # temp SQLite file
    python bench/slot_bench.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/hsa_slot_bench

Builds the search benchmark's world (bench/search_bench.py: professionals in the 80 pincodes
nearest Koramangala, radii 20-50 km, so all of them can reach 560034) with every professional in
one 60-minute service, then gives them real-looking availability: five weekly schedules (40 %
never set hours, the rest split days, mornings, evenings, weekends), buffers of 0-60 minutes,
horizons of 7-60 days; on the measured day 30 % have 1-3 assigned jobs and 5 % an override
(half a day off, half short hours). A "holiday" date has every professional off: nobody is free,
so the statement skips everyone; a "short day" has everyone on 08:00-09:00 only, so every
professional passes SQL and the scan reads all 10,000 without covering the other starts — the
worst case.

Times, through a real session opened outside the timer, `--calls` each: the day's free start
times (`slots.free_starts`), the week's day chips (`slots.open_days`), the holiday, one start
checked (`slots.is_bookable`, the booking's rule) and the nearest checked for being free
(`notifications.nearest_free`: the 50 nearest free, new-job notices). Prints p50 / p95 / p99 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.search_bench import ORIGIN, build, percentile, recreate_pg  # noqa: E402

WEEKLY = [  # (share, the seven days Monday first)
    (40, None),
    (25, ["09:00-13:00, 14:00-19:00"] * 5 + ["10:00-14:00", ""]),
    (15, ["08:00-12:00"] * 6 + [""]),
    (15, ["15:00-20:00"] * 6 + [""]),
    (5, [""] * 5 + ["08:00-20:00"] * 2),
]


def _measured_day(today: date) -> date:
    """The first Monday at least three days ahead: a working day for every schedule but weekends."""
    day = today + timedelta(days=3)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def add_availability(url: str, *, pros: int, seed: int, day: date, holiday: date, short: date) -> None:
    from sqlalchemy import insert, text

    from hsa.db import engine_for
    from hsa.models import AvailabilityOverride, ServiceRequest, utcnow
    from hsa.services.scheduling import IST

    rnd = random.Random(seed)
    engine, now = engine_for(url), utcnow()
    shares = [share for share, _ in WEEKLY]
    with engine.begin() as conn:
        for user_id in range(1, pros + 1):
            week = rnd.choices([w for _, w in WEEKLY], shares)[0]
            conn.execute(text("UPDATE professional_profiles SET weekly_hours = :w, buffer_minutes = :b, "
                              "horizon_days = :h WHERE user_id = :u"),
                         {"w": json.dumps(week, separators=(",", ":")) if week else "",
                          "b": rnd.choice([0, 15, 30, 30, 60]), "h": rnd.choice([60, 60, 30, 14]), "u": user_id})
        jobs, overrides = [], []
        customer = pros + 1
        for user_id in range(1, pros + 1):
            if rnd.random() < 0.30:
                for minute in rnd.sample(range(8 * 60, 19 * 60, 60), rnd.randint(1, 3)):
                    at = datetime.combine(day, datetime.min.time(), tzinfo=IST) + timedelta(minutes=minute)
                    jobs.append(dict(service_id=1, customer_id=customer, professional_id=user_id, status="assigned",
                                     scheduled_at=at.astimezone(UTC), address="1 Bench Road", pincode=ORIGIN,
                                     remarks="", price_paise=49_900, created_at=now, updated_at=now,
                                     assigned_at=now))
            if rnd.random() < 0.05:
                overrides.append(dict(user_id=user_id, day=day, hours=rnd.choice(["", "10:00-13:00"]),
                                      created_at=now))
            overrides.append(dict(user_id=user_id, day=holiday, hours="", created_at=now))
            overrides.append(dict(user_id=user_id, day=short, hours="08:00-09:00", created_at=now))
        conn.execute(insert(ServiceRequest.__table__), jobs)  # type: ignore[attr-defined]
        conn.execute(insert(AvailabilityOverride.__table__), overrides)  # type: ignore[attr-defined]
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    print(f"{len(jobs):,} assigned jobs on {day}, {len(overrides) - 2 * pros:,} overrides that day, "
          f"everyone off on {holiday}, everyone 08:00-09:00 only on {short}")


def time_calls(fn: Callable[..., object], calls: int) -> list[float]:
    from hsa.db import session_scope

    times = []
    for _ in range(calls):
        with session_scope(readonly=True) as s:
            t = time.perf_counter()
            fn(s)
            times.append((time.perf_counter() - t) * 1000)
    return sorted(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="PostgreSQL URL of a database to (re)create and use instead of SQLite")
    parser.add_argument("--pros", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    os.environ.setdefault("HSA_DATA_DIR", tempfile.mkdtemp(prefix="hsa-slot-bench-"))
    if args.pg:
        url = args.pg
        recreate_pg(url)
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='hsa-slots-')) / 'slots.db'}"
    started = time.perf_counter()
    build(url, pros=args.pros, customers=1_000, services=1, seed=args.seed)
    os.environ["HSA_DATABASE_URL"] = url

    from hsa.models import utcnow
    from hsa.services import notifications, slots
    from hsa.services.scheduling import local_date

    now = utcnow()
    day = _measured_day(local_date(now))
    holiday, short = day + timedelta(days=1), day + timedelta(days=2)
    add_availability(url, pros=args.pros, seed=args.seed, day=day, holiday=holiday, short=short)
    print(f"{url.split('@')[-1]}: {args.pros:,} professionals of one service in reach of {ORIGIN} "
          f"(built in {time.perf_counter() - started:.1f}s)")

    from hsa.models import ServiceRequest

    rnd = random.Random(args.seed)
    grid = slots.day_grid(day, 60, now)
    request = ServiceRequest(service_id=1, customer_id=args.pros + 1, pincode=ORIGIN)

    def nearest_free(s) -> object:  # noqa: ANN001 - a session
        request.scheduled_at = slots.to_utc(day, rnd.choice(grid))
        return notifications.nearest_free(s, request, now=now)

    base = {"service_id": 1, "pincode": ORIGIN, "now": now}
    cases: list[tuple[str, Callable[..., object]]] = [
        ("free start times of the day", lambda s: slots.free_starts(session=s, day=day, **base)),
        ("the week's day chips", lambda s: slots.open_days(session=s, first=day, **base)),
        ("holiday: everyone off (SQL skips them)", lambda s: slots.free_starts(session=s, day=holiday, **base)),
        ("short day: only 08:00 free (all 10,000 read)", lambda s: slots.free_starts(session=s, day=short, **base)),
        ("one start checked (booking)", lambda s: slots.is_bookable(
            s, start=slots.to_utc(day, rnd.choice(grid)), duration=60, **base)),
        ("the 50 nearest free (a new job's notices)", nearest_free),
        ("the 50 nearest, free or not (notices before #19)",
         lambda s: notifications.nearby_professionals(s, request)),
    ]
    from hsa.db import session_scope

    with session_scope(readonly=True) as s:
        found = slots.free_starts(session=s, day=day, **base)
        assert found and not slots.free_starts(session=s, day=holiday, **base)
        print(f"{len(found)} of {len(grid)} start times free on {day}")
    print(f"\n| case | p50 / p95 / p99 ms ({args.calls} calls) |\n|---|---|")
    for label, fn in cases:
        ms = time_calls(fn, args.calls)
        print(f"| {label} | {percentile(ms, 50):.1f} / {percentile(ms, 95):.1f} / {percentile(ms, 99):.1f} |")


if __name__ == "__main__":
    main()
