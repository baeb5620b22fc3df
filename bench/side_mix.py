"""The load mix of issue #15's side-by-side benchmark, shared by hsa's and the Flask peer's Locust files.

Each simulated customer loops, closed-loop (the next action waits for the previous answer):
search professionals by pincode -> think -> open "My requests" -> think -> book -> think,
with 0.1-0.3 s of think time. Only those three actions are measured; signing in and opening the
first page happen while users spawn.

The measured window is this module's, not Locust's running totals: it opens `SIDE_WARMUP`
seconds after every user has spawned *and* finished its on_start (the peer's bcrypt sign-ins,
hsa's sockets hydrating), lasts `SIDE_SECONDS`, then the run stops itself. Every action that
ends inside the window is kept with its exact duration; the figures go as JSON to
`SIDE_RESULT` (bench/side_by_side.py reads it), with the window's wall-clock start and end so
CPU samples of the server can be matched to it.

Environment: SIDE_WARMUP (5), SIDE_SECONDS (60), SIDE_RESULT (no file when unset),
SIDE_SEARCH_SERVICE_SHARE (0: every search is pincode-only, as in the issue; 0.3 = 30 % also
pick a service), SIDE_PINCODES and SIDE_SERVICE_IDS (comma-separated; else read from the database).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

THINK = (0.1, 0.3)
ACTIONS = ("search", "requests page", "book")
WARMUP = float(os.environ.get("SIDE_WARMUP", "5"))
SECONDS = float(os.environ.get("SIDE_SECONDS", "60"))
SERVICE_SHARE = float(os.environ.get("SIDE_SEARCH_SERVICE_SHARE", "0"))


def think() -> None:
    time.sleep(random.uniform(*THINK))  # gevent-patched under Locust


# ------------------------------------------------------------------ what the users send


PINCODES_SQL = "SELECT DISTINCT pincode FROM users WHERE role = 'professional' ORDER BY pincode"
SERVICES_SQL = "SELECT id FROM services WHERE is_active ORDER BY id"  # SQLite and PostgreSQL alike


def catalog(query: Any) -> tuple[list[str], list[int]]:
    """(pincodes professionals work from, active service ids): SIDE_PINCODES / SIDE_SERVICE_IDS
    when set (bench/side_by_side.py passes the same lists to every target), else `query(sql)`."""
    pins = os.environ.get("SIDE_PINCODES", "")
    services = os.environ.get("SIDE_SERVICE_IDS", "")
    return ([p for p in pins.split(",") if p] or [str(r[0]) for r in query(PINCODES_SQL)],
            [int(s) for s in services.split(",") if s] or [int(r[0]) for r in query(SERVICES_SQL)])


def sqlite_query(path: str) -> Any:
    def run(sql: str) -> list[tuple]:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return conn.execute(sql).fetchall()
    return run


def search_form(pincodes: list[str], service_ids: list[int]) -> dict[str, str]:
    service = str(random.choice(service_ids)) if random.random() < SERVICE_SHARE else ""
    return {"service_id": service, "pincode": random.choice(pincodes), "q": ""}


def booking_form(pincodes: list[str], service_ids: list[int]) -> dict[str, str]:
    """A slot 1-30 days ahead at 10:00 IST: inside opening hours for every catalog duration and
    far enough ahead for both servers' rules."""
    day = (date.today() + timedelta(days=random.randint(1, 30))).isoformat()
    return {"service_id": str(random.choice(service_ids)), "day": day, "time": "10:00",
            "address": "12, 4th Cross, Koramangala", "pincode": random.choice(pincodes), "remarks": "load test"}


# ------------------------------------------------------------------ the measured window


class Recorder:
    def __init__(self) -> None:
        self.ready = 0
        self.expected: int | None = None
        self.window: tuple[float, float] | None = None  # wall clock (time.time)
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.errors_outside: dict[str, int] = defaultdict(int)
        self.messages: dict[str, str] = {}
        self.setup: dict[str, list[float]] = defaultdict(list)
        self.environment: Any = None
        self.started = time.time()
        self.written = False

    def user_ready(self) -> None:
        self.ready += 1

    def on_request(self, name: str, response_time: float, exception: BaseException | None, **_kw: Any) -> None:
        now = time.time()
        inside = self.window is not None and self.window[0] <= now <= self.window[1]
        if name not in ACTIONS:
            self.setup[name].append(response_time)
        elif exception is None:
            if inside:
                self.samples[name].append(response_time)
        elif inside:
            self.errors[name] += 1
        if exception is not None:
            if not inside:
                self.errors_outside[name] += 1
            self.messages.setdefault(name, repr(exception)[:300])

    def on_spawned(self, user_count: int, **_kw: Any) -> None:
        import gevent

        self.expected = sum(user_count.values()) if isinstance(user_count, dict) else int(user_count)
        gevent.spawn(self._run_window)

    def _run_window(self) -> None:
        import gevent

        deadline = time.time() + 120
        while self.expected is not None and self.ready < self.expected and time.time() < deadline:
            gevent.sleep(0.1)
        gevent.sleep(WARMUP)
        start = time.time()
        self.window = (start, start + SECONDS)
        gevent.sleep(SECONDS)
        self.write()
        if self.environment is not None and self.environment.runner is not None:
            self.environment.runner.quit()

    def result(self) -> dict[str, Any]:
        window = self.window or (self.started, time.time())
        return {"window_start": window[0], "window_end": window[1], "seconds": window[1] - window[0],
                "users": self.expected, "ready": self.ready, "warmup": WARMUP,
                "samples_ms": dict(self.samples), "errors": dict(self.errors),
                "errors_outside_window": dict(self.errors_outside), "error_messages": self.messages,
                "setup_ms": {k: summary(v) for k, v in self.setup.items()}}

    def write(self) -> None:
        self.written = True
        target = os.environ.get("SIDE_RESULT")
        if target:
            Path(target).write_text(json.dumps(self.result()))


RECORDER = Recorder()


def install(events: Any) -> Recorder:
    """Hook the recorder into Locust's events (call once, from the locustfile's module level)."""
    events.request.add_listener(RECORDER.on_request)
    events.spawning_complete.add_listener(RECORDER.on_spawned)

    @events.init.add_listener
    def _keep(environment: Any, **_kw: Any) -> None:
        RECORDER.environment = environment

    @events.quitting.add_listener
    def _last(**_kw: Any) -> None:
        if not RECORDER.written:  # stopped early (-t too short, Ctrl-C): still say what happened
            if RECORDER.window is not None and time.time() < RECORDER.window[1]:
                RECORDER.window = (RECORDER.window[0], time.time())
            RECORDER.write()

    return RECORDER


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else 0.0


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": pct(values, 0.50), "p95": pct(values, 0.95), "p99": pct(values, 0.99)}
