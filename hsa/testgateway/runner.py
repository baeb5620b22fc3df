"""Run a gateway inside the test process: uvicorn in a daemon thread on a free port.

Why in-process: a pytest fixture can start one in milliseconds, give the SDK a real HTTP base_url, and
reach the webhook worker directly (wait_idle, hold/flush) without polling the /_test endpoints.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests
import uvicorn

from hsa.testgateway.app import Gateway, GatewayConfig, build_app


@dataclass
class RunningGateway:
    """A started gateway. `base_url` goes to `razorpay.Client(..., base_url=...)` and to the checkout form."""

    base_url: str
    config: GatewayConfig
    gateway: Gateway
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def checkout_url(self) -> str:
        """Where the merchant page POSTs the hosted-checkout form."""
        return f"{self.base_url}/v1/checkout/embedded"

    def stop(self, timeout: float = 5.0) -> None:
        """Shut the server down (finishing its lifespan, which stops the webhook worker)."""
        self._server.should_exit = True
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError(f"test gateway at {self.base_url} did not stop within {timeout:g} s")
        self.gateway.store.close()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """True once every webhook the worker would send on its own has been sent (or given up on)."""
        return self.gateway.dispatcher.wait_idle(timeout)

    def hold_webhooks(self, hold: bool = True) -> None:
        """Queue webhooks without sending them (True) or resume automatic delivery (False)."""
        self.gateway.dispatcher.set_delivery(deliver=not hold)

    def set_webhook_url(self, url: str) -> None:
        self.gateway.dispatcher.set_delivery(url=url)

    def flush(self) -> list[dict[str, Any]]:
        """Send every queued webhook once, now, oldest first (also while held)."""
        return self.gateway.dispatcher.flush()

    def deliver(self, event_ids: list[str]) -> list[dict[str, Any]]:
        """Send these webhooks once each, in this order."""
        return self.gateway.dispatcher.deliver_now(event_ids)

    def redeliver(self, event_id: str) -> dict[str, Any]:
        return self.gateway.dispatcher.redeliver(event_id)

    def events(self) -> list[dict[str, Any]]:
        """Every queued/sent webhook event, oldest first (as GET /_test/events lists them)."""
        return requests.get(f"{self.base_url}/_test/events", timeout=5).json()["items"]

    def reset(self) -> None:
        """Drop all orders, payments, refunds and events (e.g. between tests sharing one gateway)."""
        self.gateway.store.reset()

    def __enter__(self) -> RunningGateway:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def start_in_thread(config: GatewayConfig | None = None, port: int = 0, *, host: str = "127.0.0.1",
                    timeout: float = 10.0) -> RunningGateway:
    """Start a gateway and return once it answers HTTP; port 0 picks a free port."""
    config = config or GatewayConfig()
    app = build_app(config)
    # IPPROTO_TCP explicitly: only then does asyncio set TCP_NODELAY on accepted connections; without it
    # Nagle's algorithm adds ~40 ms to every request on a keep-alive connection (the SDK's session).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    base_url = f"http://{host}:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, log_level="warning", access_log=False,
                                           lifespan="on", timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="testgateway-http", daemon=True)
    thread.start()
    running = RunningGateway(base_url, config, app.state.gateway, server, thread)
    deadline = time.monotonic() + timeout
    while True:
        if not thread.is_alive():
            raise RuntimeError(f"test gateway at {base_url} exited while starting")
        if server.started:
            try:
                if requests.get(f"{base_url}/_test/health", timeout=1).ok:
                    return running
            except requests.RequestException:
                pass
        if time.monotonic() > deadline:
            running.stop()
            raise RuntimeError(f"test gateway at {base_url} did not answer within {timeout:g} s")
        time.sleep(0.01)
