"""Durability: 1,000 concurrent bookings through the running server, kill -9 in the middle, restart.

Every booking the server acknowledged (201) must exist afterwards, nothing half-written may
exist, and SQLite's integrity check must pass. Uses the backend-only production server (the
API and websocket process); the frontend plays no part in durability.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from hsa.models import utcnow
from hsa.services.demo_data import DEMO_PASSWORD
from hsa.services.scheduling import IST
from tests.e2e.conftest import BIN, _free_port, _up, server_env
from tests.e2e.site import sync_site
from tests.polling import wait_until

TOTAL = int(os.environ.get("CRASH_TOTAL", "1000"))
KILL_AFTER = int(os.environ.get("CRASH_KILL_AFTER", "300"))  # acknowledged bookings before the crash


def _start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        proc = subprocess.Popen([str(BIN / "reflex"), "run", "--env", "prod", "--backend-only", "--backend-port",
                                 str(port)], cwd=sync_site("crash"), env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    wait_until(lambda: _up(f"http://localhost:{port}/api/v1/services"), timeout=120, interval=0.3,
               what="the backend", give_up=lambda: None if proc.poll() is None else log.read_text()[-3000:])
    return proc


def _post(url: str, body: dict, token: str = "") -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def test_kill_9_during_a_booking_storm_loses_nothing_acknowledged(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    port = _free_port()
    env = server_env(f"sqlite:///{db}", port, tmp_path / "data")
    for cmd in (["migrate"], ["seed"]):
        subprocess.run([sys.executable, "-m", "hsa.cli", *cmd], cwd=sync_site("crash"), env=env, check=True,
                       capture_output=True)
    log = tmp_path / "server.log"
    proc = _start(env, port, log)
    api = f"http://localhost:{port}/api/v1"
    _, token = _post(f"{api}/auth/token", {"email": "asha@example.com", "password": DEMO_PASSWORD})
    day = (utcnow().astimezone(IST) + timedelta(days=2)).date().isoformat()
    acked: dict[int, str] = {}
    other_status: list[int] = []
    lock = threading.Lock()
    killed = threading.Event()

    def book(n: int) -> None:
        remark = f"crash-{n}"
        try:
            code, body = _post(f"{api}/bookings", {"service_id": 1, "day": day, "time": "10:00",
                                                   "address": "12, 4th Cross, Koramangala", "pincode": "560095",
                                                   "remarks": remark}, token["access_token"])
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return  # the server died under this request: not acknowledged
        with lock:
            if code == 201:
                acked[body["id"]] = remark
                if len(acked) >= KILL_AFTER and not killed.is_set():
                    killed.set()
                    os.killpg(proc.pid, signal.SIGKILL)
            elif not killed.is_set():
                other_status.append(code)

    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(book, range(TOTAL)))
    proc.wait(timeout=10)
    assert killed.is_set(), f"only {len(acked)} bookings were acknowledged before the storm ended"
    assert other_status == [], f"users saw errors under concurrent writes: {other_status[:5]}"

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = dict(conn.execute("SELECT id, remarks FROM service_requests WHERE remarks LIKE 'crash-%'").fetchall())
    missing = {i: r for i, r in acked.items() if rows.get(i) != r}
    assert not missing, f"{len(missing)} acknowledged bookings were lost: {list(missing.items())[:5]}"
    orphans = conn.execute(
        "SELECT COUNT(*) FROM service_requests r WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
        "WHERE a.action = 'request.create' AND a.target_id = r.id)").fetchone()[0]
    counted = conn.execute("SELECT count FROM request_status_counts WHERE status = 'requested'").fetchone()[0]
    actual = conn.execute("SELECT COUNT(*) FROM service_requests WHERE status = 'requested'").fetchone()[0]
    conn.close()
    assert orphans == 0 and counted == actual  # every transaction is all-or-nothing

    proc = _start(env, port, log)  # and the server comes back on the same data
    try:
        request = urllib.request.Request(f"{api}/bookings/{max(acked)}",
                                         headers={"Authorization": f"Bearer {token['access_token']}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read())["remarks"] == acked[max(acked)]
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
