"""One test gateway per module (started with the runner the app's tests use) and a webhook receiver.

Each test starts from an empty gateway: queued webhooks drained, books reset, delivery resumed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import razorpay

from hsa.testgateway import GatewayConfig, RunningGateway, start_in_thread
from tests.testgateway.support import Receiver

RETRY_DELAYS = (0.01, 0.02, 0.04)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def gateway(receiver: Receiver) -> Iterator[RunningGateway]:
    with start_in_thread(GatewayConfig(webhook_url=receiver.url, webhook_retry_delays=RETRY_DELAYS)) as gw:
        yield gw


@pytest.fixture(scope="module")
def client(gateway: RunningGateway) -> razorpay.Client:
    return razorpay.Client(auth=(gateway.config.key_id, gateway.config.key_secret), base_url=gateway.base_url)


@pytest.fixture(autouse=True)
def _clean(request: pytest.FixtureRequest) -> Iterator[None]:
    if "gateway" in request.fixturenames:
        gw: RunningGateway = request.getfixturevalue("gateway")
        assert gw.wait_idle(5), "webhooks of the previous test still in flight"
        gw.reset()
        gw.hold_webhooks(False)
        request.getfixturevalue("receiver").clear()
    yield
