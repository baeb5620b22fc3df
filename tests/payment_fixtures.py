"""The money tests' real parts: the test gateway (Razorpay's contract) and our own API, each
served over HTTP in this process, the gateway's webhooks going to our API's webhook route.

One of each per test session; every test starts with an empty gateway and delivery on. The
browser-less `Customer` does what a browser does on the hosted page: posts our checkout form to
the gateway, presses a button, and posts the form the gateway answers with to our callback.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import pytest
import requests
import uvicorn
from sqlmodel import Session

from hsa.services.money.gateway import CheckoutForm
from hsa.testgateway import GatewayConfig, RunningGateway, start_in_thread
from tests.testgateway.support import parse


@dataclass
class LiveApi:
    base_url: str
    server: uvicorn.Server


def _serve(app: object) -> LiveApi:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP_NODELAY, see the runner
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, log_level="warning", access_log=False))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="live-api").start()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the API did not start")
        time.sleep(0.01)
    return LiveApi(base, server)


@pytest.fixture(scope="session")
def live_api() -> Iterator[LiveApi]:
    from hsa.api.app import build_outer

    api = _serve(build_outer())
    yield api
    api.server.should_exit = True


@pytest.fixture(scope="session")
def gateway_server(live_api: LiveApi) -> Iterator[RunningGateway]:
    config = GatewayConfig(webhook_url=f"{live_api.base_url}/api/v1/payments/webhook",
                           webhook_retry_delays=(0.05, 0.1, 0.2))
    with start_in_thread(config) as gw:
        yield gw


@pytest.fixture
def gateway(gateway_server: RunningGateway, session: Session, monkeypatch: pytest.MonkeyPatch
            ) -> Iterator[RunningGateway]:
    """The gateway for this test (its database is this test's), emptied before and drained after
    (the test's own transaction ended first: on SQLite it would keep the webhook route waiting)."""
    monkeypatch.setenv("HSA_RAZORPAY_API_URL", gateway_server.base_url)
    gateway_server.reset()
    gateway_server.hold_webhooks(False)
    yield gateway_server
    session.commit()
    gateway_server.wait_idle(5)
    gateway_server.hold_webhooks(True)  # nothing may reach the next test's database
    gateway_server.reset()


@dataclass
class Customer:
    """A person on the gateway's hosted page, without a browser (the e2e tests use a real one)."""

    gateway: RunningGateway
    api: LiveApi

    def pay(self, checkout: CheckoutForm, outcome: str = "success", **typed: str) -> requests.Response:
        """Open the hosted page, press Pay (or Fail), come back to our callback; our redirect is returned."""
        page = requests.post(checkout.action, data=checkout.fields, timeout=5)
        assert page.status_code == 200, page.text
        form = parse(page.text).forms[0]
        if not urljoin(self.gateway.base_url, form.action).startswith(self.gateway.base_url):
            return self.come_back(form.action, form.fields)  # "already paid": the page only links back
        answer = requests.post(urljoin(self.gateway.base_url, form.action), timeout=5,
                               data={**form.fields, **typed, "outcome": outcome})
        assert answer.status_code == 200, answer.text
        back = parse(answer.text).forms[0]
        return self.come_back(back.action, back.fields)

    def come_back(self, action: str, fields: dict[str, str]) -> requests.Response:
        """POST to our callback (its path on the live API: the public URL is the demo's)."""
        return requests.post(self.api.base_url + urlsplit(action).path, data=fields, timeout=10,
                             allow_redirects=False)


@pytest.fixture
def customer_browser(gateway: RunningGateway, live_api: LiveApi) -> Customer:
    return Customer(gateway, live_api)
