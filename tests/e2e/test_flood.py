"""A sign-in flood and a tab flood against a server with the production limits.

Its own server (site `.e2e/flood`): the shared test server relaxes the per-address budgets
because every journey signs in from 127.0.0.1. This one keeps the defaults and trusts
127.0.0.1 as its proxy, as behind the documented Caddy/nginx, so the attacker and the normal
user are told apart by `X-Forwarded-For` the way a proxy would send it.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import socketio
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from bench.reflex_client import ROOT, ReflexClient
from hsa.models import AuditLog, User
from hsa.services.demo_data import DEMO_PASSWORD
from tests.e2e.conftest import Server, run_server
from tests.e2e.pages import LoginPage, at, log_out

pytestmark = pytest.mark.e2e

LOGIN_SUBMIT = f"{ROOT}.hsa___state___login____login_state.submit"
ATTACKER, USER = "198.51.100.66", "203.0.113.10"
TAB_CAP = 6
FLOOD_ATTEMPTS = 300
ANSWERS_BEFORE_LEAVING = 16  # about 8 attempts: 5 wrong passwords, then this source is slowed down


@pytest.fixture(scope="module")
def flood_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("flood")
    yield from run_server(f"sqlite:///{data / 'flood.db'}", data, {
        "HSA_LOGIN_IP_LIMIT": "", "HSA_SIGNUP_IP_LIMIT": "",  # the defaults
        "HSA_TRUSTED_PROXIES": "127.0.0.1",
        "HSA_MAX_TABS_PER_IP": str(TAB_CAP),
    }, site="flood")


class _Attacker(ReflexClient):
    """A websocket client that says it comes from `address` (as the proxy would forward it)."""

    def __init__(self, base_url: str, address: str) -> None:
        super().__init__(base_url)
        self.address = address

    def connect(self) -> None:
        self.sio.connect(f"{self.base_url}?token={self.token}", socketio_path="/_event", namespaces=["/_event"],
                         transports=["websocket"], wait_timeout=10, headers={"X-Forwarded-For": self.address})


def _flood(url: str, email: str) -> None:
    """300 login events as fast as the socket takes them; leave after a few answers, the rest still queued.

    Runs in its own process, as an attacker's client would: in the test's process it would
    compete with Playwright for that process's interpreter lock and slow the person down."""
    attacker = _Attacker(url, ATTACKER)
    attacker.connect()
    attacker.send(f"{ROOT}.hydrate", path="/login")
    for i in range(FLOOD_ATTEMPTS):
        attacker.sio.emit("event", {"name": LOGIN_SUBMIT, "payload": {"form_data": {
            "email": email, "password": f"Guess-{i}"}}, "router_data": {"pathname": "/login", "query": {},
                                                                      "asPath": "/login"}}, namespace="/_event")
    attacker.sio.eio.queue.join()  # every packet written to the socket (closing at once would drop the unsent)
    deadline = time.monotonic() + 15
    answers = 0
    while answers < ANSWERS_BEFORE_LEAVING and time.monotonic() < deadline:  # each attempt answers twice
        try:
            attacker.updates.get(timeout=max(0.1, deadline - time.monotonic()))
            answers += 1
        except queue.Empty:
            break
    attacker.close()


def _sign_in(page: Page) -> float:
    """Seconds from tapping "Log in" (the form already filled) to the customer's home."""
    page.get_by_label("Email").fill("asha@example.com")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    started = time.monotonic()
    page.get_by_role("button", name="Log in").click()
    # Told by the navigation itself (expect() polls at growing intervals and would round the time up).
    page.wait_for_url(at("/customer"), wait_until="commit")
    return time.monotonic() - started


def _scrape(url: str, prefix: str) -> list[str]:
    with urllib.request.urlopen(f"{url}/metrics", timeout=5) as resp:  # from loopback, as a scraper on the host
        return [line for line in resp.read().decode().splitlines() if line.startswith(prefix)]


def _cpu(pid: int, seconds: float = 0.5) -> float:
    """Cores the server (and its children) used over the next `seconds`."""
    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    before = sum(p.cpu_times().user + p.cpu_times().system for p in procs)
    started = time.monotonic()
    threading.Event().wait(seconds)  # a sampling interval, not a wait for an outcome
    after = sum(p.cpu_times().user + p.cpu_times().system for p in procs)
    return (after - before) / (time.monotonic() - started)


def test_a_login_flood_leaves_everyone_else_served(browser: Browser, flood_server: Server) -> None:
    url = flood_server.url
    attack = multiprocessing.get_context("spawn").Process(target=_flood, args=(url, "asha@example.com"), daemon=True)
    ctx = browser.new_context(base_url=url, extra_http_headers={"X-Forwarded-For": USER})
    page = ctx.new_page()
    quiet = []
    for _ in range(2):  # the same sign-in with no flood, for comparison (the first one warms the server up)
        LoginPage(page).open()
        quiet.append(_sign_in(page))
        log_out(page)
        expect(page).to_have_url(at("/login"))
    LoginPage(page).open()
    attack.start()
    deadline = time.monotonic() + 20
    while attack.is_alive() and time.monotonic() < deadline:
        if attack.is_alive() and _cpu(flood_server.pid, 0.2) > 0.5:
            break  # the server is busy with the flood: now the real customer signs in
    signed_in = _sign_in(page)  # the very account under attack
    form = page.locator('form[data-form="search"]')
    form.get_by_label("Service").select_option(label="Plumbing")
    started = time.monotonic()
    form.get_by_role("button", name="Search").click()
    expect(page.locator("#results .pro-result").first).to_be_visible()
    searched = time.monotonic() - started
    attack.join(timeout=20)
    assert attack.exitcode == 0, "the flood did not finish within 20 s"
    handled = _scrape(url, 'hsa_event_duration_seconds_count{handler="login_state.submit"')
    assert signed_in < 1.0 and searched < 1.0, (signed_in, searched, quiet, handled)

    idle_by = time.monotonic() + 5
    while _cpu(flood_server.pid) > 0.15:
        assert time.monotonic() < idle_by, "the server kept working after the attacker left"
    with flood_server.session() as s:
        asha = s.exec(select(User).where(User.email == "asha@example.com")).one()
        slowed = s.exec(select(AuditLog).where(AuditLog.action == "user.login_throttled")).all()
    assert [e.target_id for e in slowed] == [asha.id] and ATTACKER in slowed[0].details
    failures = _scrape(url, "hsa_login_failures_total")
    assert 5 <= float(failures[0].split()[-1]) <= 6, failures  # hashed: 5 (then slowed), never the queued rest
    with urllib.request.urlopen(f"{url}/metrics", timeout=5) as resp:  # from loopback, as a scraper on the host
        metrics = resp.read().decode()
    assert 'hsa_throttled_total{scope="login-ip"}' in metrics or 'hsa_throttled_total{scope="login-account"}' in metrics
    dropped = [line for line in metrics.splitlines() if line.startswith("hsa_dropped_events_total")]
    assert dropped and float(dropped[0].split()[-1]) >= FLOOD_ATTEMPTS / 2  # most never reached a handler
    ctx.close()


def test_one_address_cannot_open_unlimited_tabs(flood_server: Server) -> None:
    tabs = [_Attacker(flood_server.url, "198.51.100.77") for _ in range(TAB_CAP + 1)]
    try:
        for tab in tabs[:TAB_CAP]:
            tab.connect()
        with pytest.raises(socketio.exceptions.ConnectionError):
            tabs[TAB_CAP].connect()
        other = _Attacker(flood_server.url, "198.51.100.78")
        other.connect()  # someone else behind the same proxy is not affected
        other.send(f"{ROOT}.hydrate", path="/")
        other.close()
        tabs[0].close()
        retry = _Attacker(flood_server.url, "198.51.100.77")
        deadline = time.monotonic() + 5
        while True:  # the closed tab's slot frees as soon as the server sees the disconnect
            try:
                retry.connect()
                break
            except socketio.exceptions.ConnectionError:
                assert time.monotonic() < deadline, "a closed tab's slot was never given back"
        retry.close()
    finally:
        for tab in tabs[1:TAB_CAP]:
            tab.close()


def test_the_log_never_holds_the_flooded_passwords(flood_server: Server) -> None:
    text = Path(flood_server.log).read_text(errors="replace")
    assert "Guess-1" not in text and DEMO_PASSWORD not in text
