"""`./scripts/test` beside a running `./scripts/serve`: the suite never touches the checkout's build.

The servers of this run (session, scale-out, crash) were built in `.e2e/<name>/`. This module
runs last and checks that the checkout's own `.web`, `assets/external` and `.states` are exactly
as they were before the first server started, and that the session server still answers
after the scale-out server built its own frontend for another port.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from hsa.services.demo_data import DEMO_PASSWORD
from tests.e2e.conftest import Server
from tests.e2e.site import ROOT, SITES


def test_the_checkout_build_is_untouched_by_the_suite(server: Server, checkout_before: dict) -> None:
    from tests.e2e.conftest import checkout_fingerprint

    assert server.cwd != ROOT and SITES in server.cwd.parents
    assert checkout_fingerprint() == checkout_before


def test_session_server_still_dials_its_own_backend(server: Server, page: Page) -> None:
    page.goto(f"{server.url}/login")
    page.fill("#email", "asha@example.com")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#welcome")).to_contain_text("Asha")
    env = (server.cwd / ".web" / "env.json").read_text()
    assert re.search(rf"localhost:{server.url.rsplit(':', 1)[1]}/", env)
