"""Monitoring against the real server: a browser journey moves the metrics and writes JSON log lines.

Scrapes /metrics (the test runs on the server's host, so loopback needs no token), signs in as a
demo customer, searches and opens My requests in a browser, then scrapes again: the event
histogram of exactly those handlers, the API and database histograms and the connected-tabs
gauge must have moved, and server.log must hold one JSON line per handled event with the
customer's id and never the password typed into the form.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from email.message import Message

from playwright.sync_api import Browser, expect
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import select

from hsa.models import User
from hsa.services.demo_data import DEMO_PASSWORD
from tests.e2e.conftest import Server
from tests.e2e.pages import LoginPage, at
from tests.polling import wait_until

CUSTOMER = "rahul@example.com"
HANDLERS = ("login_state.submit", "customer_home_state.search", "requests_state.load")
DEADLINE = 10.0  # s: an event's sample is recorded just after its delta reached the page

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, str]:
    """Status, headers (case-insensitive) and body of a GET, whatever the status."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode()


def scrape(server: Server) -> Samples:
    status, headers, text = _get(f"{server.url}/metrics")
    assert status == 200 and headers["content-type"].startswith("text/plain"), (status, text[:300])
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def total(samples: Samples, name: str, **labels: str) -> float:
    """Sum of the samples called `name` whose labels include `labels`."""
    want = set(labels.items())
    return sum(v for (n, lab), v in samples.items() if n == name and want <= lab)


def wait_for(condition: Callable[[], bool], what: str) -> None:
    wait_until(condition, timeout=DEADLINE, what=what)


def _log_lines(server: Server) -> list[dict]:
    lines = []
    for raw in server.log.read_text(errors="replace").splitlines():
        if raw.startswith("{"):
            try:
                lines.append(json.loads(raw))
            except json.JSONDecodeError:
                continue
    return lines


def test_ops_endpoints_sit_at_the_root_of_the_real_server(server: Server) -> None:
    status, headers, body = _get(f"{server.url}/healthz", {"X-Request-ID": "e2e-probe-0001"})
    assert status == 200 and json.loads(body) == {"status": "ok"}
    assert headers["x-request-id"] == "e2e-probe-0001"
    status, _, body = _get(f"{server.url}/readyz")
    assert status == 200 and json.loads(body)["status"] == "ok", body
    # Through a proxy (which adds X-Forwarded-For) loopback proves nothing: no token, no metrics.
    proxied = {"X-Forwarded-For": "203.0.113.9", "X-Request-ID": "e2e-scrape-0002"}
    status, _, body = _get(f"{server.url}/metrics", proxied)
    assert status == 403 and "hsa_" not in body
    # Successful probes are not logged (one line per probe would drown the log); a refused scrape is.
    wait_for(lambda: any(line.get("event") == "http_request" and line.get("request_id") == "e2e-scrape-0002"
                         and line.get("route") == "/metrics" and line.get("status") == 403
                         for line in _log_lines(server)), "the refused scrape's log line")
    assert not [line for line in _log_lines(server) if line.get("request_id") == "e2e-probe-0001"]


def test_a_customer_journey_moves_event_api_db_and_tab_metrics(browser: Browser, server: Server) -> None:
    with server.session() as s:
        customer = s.exec(select(User).where(User.email == CUSTOMER)).one()
    before = scrape(server)

    ctx = browser.new_context(base_url=server.url)
    page = ctx.new_page()
    LoginPage(page).open().log_in(CUSTOMER, DEMO_PASSWORD)
    expect(page).to_have_url(at("/customer"))
    form = page.locator('form[data-form="search"]')
    form.get_by_label("Service").select_option(label="Plumbing")
    form.get_by_role("button", name="Search").click()
    expect(page.locator("#results")).to_be_visible()
    page.goto("/requests")
    expect(page.locator("#my-requests")).to_be_visible()
    assert page.request.get(f"{server.url}/api/v1/services").ok

    def moved() -> bool:
        after = scrape(server)
        return all(total(after, "hsa_event_duration_seconds_count", handler=h, outcome="ok")
                   > total(before, "hsa_event_duration_seconds_count", handler=h, outcome="ok") for h in HANDLERS)

    wait_for(moved, "samples of " + ", ".join(HANDLERS))
    after = scrape(server)
    api = {"route": "/api/v1/services", "method": "GET", "status": "2xx"}
    assert total(after, "hsa_http_request_duration_seconds_count", **api) \
        == total(before, "hsa_http_request_duration_seconds_count", **api) + 1
    assert total(after, "hsa_http_request_duration_seconds_count", route="frontend") \
        > total(before, "hsa_http_request_duration_seconds_count", route="frontend")  # pages: one label, any path
    assert total(after, "hsa_db_query_duration_seconds_count", operation="select") \
        > total(before, "hsa_db_query_duration_seconds_count", operation="select")
    assert total(after, "hsa_connected_tabs") >= total(before, "hsa_connected_tabs") + 1  # this page is open
    assert total(after, "process_resident_memory_bytes") > 0

    def logged() -> bool:
        events = [line for line in _log_lines(server) if line.get("event") == "reflex_event"]
        mine = {line["handler"] for line in events if line.get("actor_id") == customer.id}
        return "login_state.submit" in {line["handler"] for line in events} and set(HANDLERS[1:]) <= mine

    wait_for(logged, "JSON log lines of the journey's events with the customer's id")
    line = next(x for x in reversed(_log_lines(server)) if x.get("handler") == "requests_state.load")
    assert line["outcome"] == "ok" and line["duration_ms"] >= 0 and line["event_id"] and line["level"] == "info"
    assert DEMO_PASSWORD not in server.log.read_text(errors="replace")
    ctx.close()
