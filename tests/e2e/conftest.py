"""One production server (`reflex run --env prod`) per test run, on a free port, with demo data.

Running the real server (not AppHarness) exercises the same start-up path as the README's
serve command, including the websocket origin allow-list. The server uses a temporary
SQLite file that the tests also open directly, and runs from its own copy of the checkout
(`tests/e2e/site.py`), so a developer's `./scripts/serve` keeps working while the suite runs.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session

from hsa.db import engine_for
from tests.e2e.site import ROOT, sync_site
from tests.polling import wait_until

BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("HSA_CHROMIUM", "/usr/bin/chromium")
START_TIMEOUT = 600  # first build of the frontend (npm install + vite) on a cold machine


@dataclass(frozen=True)
class Server:
    url: str
    db_url: str
    log: Path
    pid: int = 0
    cwd: Path = ROOT
    gateway_url: str = ""  # the test gateway this server takes payments through

    def session(self) -> Session:
        return Session(engine_for(self.db_url), expire_on_commit=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback only
            return resp.status == 200
    except OSError:
        return False


def server_env(db_url: str, port: int, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HSA_DATABASE_URL=db_url,
        HSA_PUBLIC_URL=f"http://localhost:{port}",
        HSA_DATA_DIR=str(data_dir),
        REFLEX_USE_NPM="1",
        # Journeys book tomorrow's slot and then start it: allow starting any time before the slot.
        HSA_EARLY_START_HOURS="1500",
        # Every journey signs in and up from 127.0.0.1: the abuse limits are tested on their own server
        # (tests/e2e/test_flood.py) with the defaults.
        HSA_LOGIN_IP_LIMIT="100000/minute",
        HSA_SIGNUP_IP_LIMIT="100000/minute",
        HSA_MAX_TABS_PER_IP="100000",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def checkout_fingerprint() -> dict[str, tuple[int, int]]:
    """(mtime, size) of every build file a `./scripts/serve` in this checkout would be using."""
    found: dict[str, tuple[int, int]] = {}
    for folder in (".web", ".states", "assets/external"):
        for path in (ROOT / folder).rglob("*"):
            if "node_modules" not in path.parts and path.is_file():
                stat = path.stat()
                found[str(path.relative_to(ROOT))] = (stat.st_mtime_ns, stat.st_size)
    return found


@pytest.fixture(scope="session")
def checkout_before() -> dict[str, tuple[int, int]]:
    return checkout_fingerprint()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, checkout_before: dict) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("e2e")
    # HSA_E2E_SITE: a second developer (or helper) running browser tests at the same time uses its own copy.
    yield from run_server(f"sqlite:///{data / 'e2e.db'}", data, site=os.environ.get("HSA_E2E_SITE", "session"))


def run_server(db_url: str, data: Path, extra_env: dict[str, str] | None = None, *,
               site: str = "session") -> Iterator[Server]:
    """Migrate, seed and serve `reflex run --env prod` from `.e2e/<site>` until the generator is closed."""
    port, gateway_port = _free_port(), _free_port()
    env = server_env(db_url, port, data) | {"HSA_RAZORPAY_API_URL": f"http://127.0.0.1:{gateway_port}"} \
        | (extra_env or {})
    cwd = sync_site(site, seed_from=None if site == "session" else "session")
    # the payment gateway's stand-in, started the way ./scripts/serve starts it (its own process)
    gateway = subprocess.Popen(
        [sys.executable, "-m", "hsa.testgateway", "--port", str(gateway_port), "--db", str(data / "gateway.db"),
         "--webhook-url", f"http://127.0.0.1:{port}/api/v1/payments/webhook"],
        cwd=cwd, env=env, stdout=(data / "gateway.log").open("wb"), stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, start_new_session=True)
    for cmd in (["migrate"], ["seed", "--demand-history"]):  # as ./scripts/serve does
        subprocess.run([sys.executable, "-m", "hsa.cli", *cmd], cwd=cwd, env=env, check=True,
                       capture_output=True, timeout=120)
    log = data / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "reflex"), "run", "--env", "prod", "--single-port", "--frontend-port", str(port)],
            cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    url = f"http://localhost:{port}"
    try:
        wait_until(lambda: _up(f"{url}/ping") and _up(f"{url}/"), timeout=START_TIMEOUT, interval=1,
                   what=f"the server on {url}", give_up=lambda: None if proc.poll() is None else
                   f"it exited:\n{log.read_text()[-4000:]}")
        yield Server(url=url, db_url=db_url, log=log, pid=proc.pid, cwd=cwd,
                     gateway_url=env["HSA_RAZORPAY_API_URL"])
    finally:
        for child in (proc, gateway):
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(child.pid, sig)
                    child.wait(timeout=10)
                    break
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    continue
        engine_for(db_url).dispose()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, quiet on a closed network (see shared/STACK.md)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def base_url(server: Server) -> str:
    return server.url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The checkout-isolation check runs last: it proves nothing before it touched the checkout."""
    items.sort(key=lambda item: "test_checkout_isolation.py" in str(item.fspath))
