"""A minimal client for Reflex's websocket event protocol (python-socketio), for load tests.

Speaks what the browser speaks: connect to /_event with a client token, hydrate, hand the
session token to the server the way localStorage sync does (update_vars_internal), then send
page events and wait for the update marked final.
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
    "admin": f"{ROOT}.hsa___state___admin____admin_home_state",
}
UPDATE_VARS = f"{ROOT}.reflex___state____update_vars_internal_state.update_vars_internal"


class ReflexClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.token = str(uuid.uuid4())
        self.updates: queue.Queue[dict[str, Any]] = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", self.updates.put, namespace="/_event")

    def connect(self) -> None:
        self.sio.connect(f"{self.base_url}?token={self.token}", socketio_path="/_event", namespaces=["/_event"],
                         transports=["websocket"], wait_timeout=10)  # sends Origin: base_url

    def send(self, name: str, payload: dict | None = None, path: str = "/", timeout: float = 30) -> tuple[float, dict]:
        """Send one event; return (round-trip seconds, merged delta) once its final update arrives."""
        while not self.updates.empty():
            self.updates.get_nowait()
        started = time.perf_counter()
        self.sio.emit("event", {"name": name, "payload": payload or {},
                                "router_data": {"pathname": path, "query": {}, "asPath": path}},
                      namespace="/_event")
        merged: dict[str, Any] = {}
        deadline = started + timeout
        while True:
            update = self.updates.get(timeout=max(0.01, deadline - time.perf_counter()))
            for state, values in (update.get("delta") or {}).items():
                merged.setdefault(state, {}).update(values)
            if update.get("final", True):
                return time.perf_counter() - started, merged

    def login_with(self, session_token: str, path: str) -> None:
        self.send(f"{ROOT}.hydrate", path=path)
        self.send(UPDATE_VARS, {"vars": {f"{STATES['session']}.auth_token": session_token}}, path=path)

    def close(self) -> None:
        self.sio.disconnect()
