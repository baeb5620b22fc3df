"""Scale-out: two backend workers sharing state through Redis, data in PostgreSQL.

The full three-browser booking journey and the live admin dashboard must behave exactly as on
one worker: the browsers' sockets land on different workers, and every page still updates live.
Needs the machine's PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.e2e.conftest import Server, run_server
from tests.e2e.test_admin_console import run_live_dashboard
from tests.e2e.test_booking_journey import run_booking_journey

PG = os.environ.get("HSA_E2E_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/hsa_e2e")
REDIS = os.environ.get("HSA_E2E_REDIS_URL", "redis://127.0.0.1:6379/5")


def _reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def scaled_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not (_reachable(5432) and _reachable(6379)):
        pytest.skip("!! PostgreSQL or Redis is not running on this machine: scale-out journey NOT run !!")
    url = make_url(PG)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    data: Path = tmp_path_factory.mktemp("scaled")
    yield from run_server(PG, data, {"REFLEX_REDIS_URL": REDIS, "GRANIAN_WORKERS": "2"}, site="scaleout")


def test_two_workers_on_redis_and_postgres_serve_the_whole_journey(browser: Browser, scaled_server: Server) -> None:
    import psutil
    import redis

    group = [p for p in psutil.process_iter(["cmdline"]) if _pgid(p.pid) == scaled_server.pid]
    assert len(group) >= 3, [p.info["cmdline"] for p in group]  # the reflex CLI, the server and 2 workers
    run_booking_journey(browser, scaled_server)
    assert redis.Redis.from_url(REDIS).dbsize() > 0  # the browsers' state lived in Redis


def _pgid(pid: int) -> int:
    try:
        return os.getpgid(pid)
    except OSError:
        return -1


def test_live_dashboard_across_workers(browser: Browser, scaled_server: Server) -> None:
    run_live_dashboard(browser, scaled_server)
