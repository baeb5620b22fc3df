"""A minimal client for Reflex's websocket event protocol (python-socketio), for load tests.

Speaks what the browser speaks: connect to /_event with a client token, hydrate, hand the
session token to the server the way localStorage sync does (update_vars_internal), then send
page events and wait for their update.
"""

from __future__ import annotations

import queue
import time
import uuid
from typing import Any

import socketio

ROOT = "reflex___state____state"
STATES = {
    "session": f"{ROOT}.hsa___state___auth____session_state",
    "customer": f"{ROOT}.hsa___state___customer____customer_home_state",
    "book": f"{ROOT}.hsa___state___customer____book_state",
    "requests": f"{ROOT}.hsa___state___customer____requests_state",
    "pro": f"{ROOT}.hsa___state___professional____pro_home_state",
    "admin": f"{ROOT}.hsa___state___admin___dashboard____admin_home_state",
}
UPDATE_VARS = f"{ROOT}.reflex___state____update_vars_internal_state.update_vars_internal"


class ReflexClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.token = str(uuid.uuid4())
        self.updates: queue.Queue[dict[str, Any]] = queue.Queue()
        self.latest: dict[str, dict[str, Any]] = {}  # every var as last sent, including server pushes
        self.pushes = 0
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", self._received, namespace="/_event")

    def _received(self, update: dict[str, Any]) -> None:
        for state, values in (update.get("delta") or {}).items():
            self.latest.setdefault(state, {}).update(values)
        self.pushes += 1
        self.updates.put(update)

    def connect(self) -> None:
        self.sio.connect(f"{self.base_url}?token={self.token}", socketio_path="/_event", namespaces=["/_event"],
                         transports=["websocket"], wait_timeout=10)  # sends Origin: base_url

    def send(self, name: str, payload: dict | None = None, path: str = "/", timeout: float = 30) -> tuple[float, dict]:
        """Send one event; return (round-trip seconds, delta) when its update arrives.

        Reflex 0.10 marks no update as final and a handler answers with one update, so the first
        update after sending is taken as the answer. A server push to the same tab arriving in
        between would be taken for it: only states that receive pushes (the professional's board,
        the admin dashboard, "My requests") can be affected; search and booking cannot.
        """
        while not self.updates.empty():
            self.updates.get_nowait()
        started = time.perf_counter()
        self.sio.emit("event", {"name": name, "payload": payload or {},
                                "router_data": {"pathname": path, "query": {}, "asPath": path}},
                      namespace="/_event")
        update = self.updates.get(timeout=timeout)
        return time.perf_counter() - started, dict(update.get("delta") or {})

    def login_with(self, session_token: str, path: str) -> None:
        self.send(f"{ROOT}.hydrate", path=path)
        self.send(UPDATE_VARS, {"vars": {f"{STATES['session']}.auth_token": session_token}}, path=path)

    def close(self) -> None:
        self.sio.disconnect()
