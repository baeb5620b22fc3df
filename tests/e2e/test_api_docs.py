"""docs/api.md's walk-through runs against the real server, so the documentation cannot go stale;
and a booking made through the API appears in the customer's page and the admin dashboard."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Browser, expect
from sqlmodel import select

from hsa.models import Role, ServiceRequest, utcnow
from hsa.services.demo_data import ADMIN_EMAIL, ADMIN_PASSWORD, DEMO_PASSWORD
from hsa.services.scheduling import IST
from tests.e2e.conftest import Server
from tests.e2e.pages import LoginPage, at
from tests.factories import make_service, make_user

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_api_walkthrough_in_the_docs_runs(server: Server) -> None:
    script = re.search(r"```bash\n(.*?)```", DOC.read_text(), re.S)
    assert script, "docs/api.md lost its walk-through"
    with server.session() as s:
        before = s.exec(select(ServiceRequest.id)).all()
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script.group(1)], capture_output=True, text=True,
                            env={**os.environ, "BASE": server.url}, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "Ravi Kumar" in lines[0]                       # step 2: ranked search
    assert lines[1].startswith("('requested', 41064, ")  # step 4: tracking; ₹299 + ₹49 fee + 18% GST
    assert lines[-1] == "401"                              # step 5: revoked
    with server.session() as s:
        new = [r for r in s.exec(select(ServiceRequest)).all() if r.id not in before]
        assert len(new) == 1 and new[0].remarks == "Leaking tap"


def _api(server: Server, method: str, path: str, body: dict | None = None, token: str = "") -> dict:
    request = urllib.request.Request(f"{server.url}/api/v1{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def test_api_booking_shows_in_the_customer_page_and_admin_dashboard(browser: Browser, server: Server) -> None:
    boss = browser.new_context(base_url=server.url).new_page()
    LoginPage(boss).open().log_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(boss).to_have_url(at("/admin"))
    kpi = boss.locator("#kpi-requested")
    expect(kpi).not_to_be_empty()
    before = int(kpi.inner_text())
    customer = browser.new_context(base_url=server.url).new_page()
    LoginPage(customer).open().log_in("rahul@example.com", DEMO_PASSWORD)
    expect(customer).to_have_url(at("/customer"))
    customer.goto("/requests")
    expect(customer.locator("#my-requests")).to_be_visible()

    with server.session() as s:  # a service of its own with a technician near Rahul, free to take it (the demo
        tag = f"{time.monotonic_ns() % 10**8}"  # has no AC technician in Mumbai, which test_demand relies on)
        geyser = make_service(s, name=f"API Test Geyser Repair {tag}")
        make_user(s, role=Role.professional, service=geyser, pincode="400005", full_name="Colaba Cool",
                  email=f"geyser-colaba-{tag}@example.com")
    token = _api(server, "POST", "/auth/token", {"email": "rahul@example.com", "password": DEMO_PASSWORD})
    services = _api(server, "GET", "/services")
    ac = next(s for s in services if s["name"] == geyser.name)
    day = (utcnow().astimezone(IST) + timedelta(days=3)).date().isoformat()
    booking = _api(server, "POST", "/bookings", {"service_id": ac["id"], "day": day, "time": "12:00",
                                                 "address": "B-204, Sea View, Colaba", "pincode": "400005",
                                                 "remarks": "Booked from the mobile app"},
                   token=token["access_token"])
    assert booking["status"] == "requested" and booking["actions"] == ["edit", "cancel"]
    card = customer.locator(f"#request-{booking['id']}")
    expect(card).to_contain_text("Booked from the mobile app", timeout=3_000)  # live, same data
    expect(card).to_contain_text(geyser.name)
    expect(kpi).to_have_text(str(before + 1), timeout=3_000)
    boss.context.close()
    customer.context.close()


def test_swagger_ui_loads_only_from_this_origin_and_tries_a_call(browser: Browser, server: Server) -> None:
    """The docs page holds the origin's tokens: its script must come from here, not a CDN."""
    context = browser.new_context(base_url=server.url)
    context.add_init_script("document.addEventListener('securitypolicyviolation', e => console.error("
                            "'CSP violation: ' + e.effectiveDirective + ' ' + (e.blockedURI || 'inline')));")
    page = context.new_page()
    requested: list[str] = []
    complaints: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda m: complaints.append(m.text) if "Content Security Policy" in m.text
            or "CSP violation" in m.text else None)
    page.on("pageerror", lambda exc: complaints.append(str(exc)))
    response = page.goto("/api/v1/docs")
    assert response is not None and "'unsafe-inline'" not in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("HomeServe API")
    operation = page.locator("#operations-catalog-list_services_services_get")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tr.response .response-col_status")).to_have_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text("Plumbing")
    foreign = [url for url in requested if url.startswith(("http:", "https:")) and not url.startswith(server.url)]
    assert foreign == [], f"the docs page fetched from other origins: {foreign}"
    assert any("/api/v1/docs-static/swagger-ui-bundle.js" in url for url in requested)
    assert complaints == []
    context.close()
