"""A minimal client for Reflex's websocket event protocol (python-socketio), for load tests.

Speaks what the browser speaks: connect to /_event with a client token, hydrate, hand the
session token to the server the way localStorage sync does (update_vars_internal), then send
page events and wait for their update.

`send` takes the first update after an event as its answer. That is not the end of a form
submit: handlers wrapped in `hsa.state.forms.submits` first send ``busy=True`` and only later
their result, so `call` (wait until a condition holds over the updates since sending, e.g.
`submitted(state)`) and `navigate` (a page load as the browser does it, answered when the root
state's ``is_hydrated`` comes back true, after every on_load handler) measure whole actions.
"""

from __future__ import annotations

import queue
import time
import uuid
from collections.abc import Callable
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
ON_LOAD = f"{ROOT}.reflex___state____on_load_internal_state.on_load_internal"
HYDRATED = "is_hydrated_rx_state_"

Done = Callable[[dict[str, dict[str, Any]], list[dict[str, Any]]], bool]


def submitted(state: str) -> Done:
    """A `submits` handler has answered: its state's ``busy`` went back to False."""
    name = STATES[state]
    return lambda delta, _events: delta.get(name, {}).get("busy_rx_state_") is False


def page_loaded(delta: dict[str, dict[str, Any]], _events: list[dict[str, Any]]) -> bool:
    """The page's on_load chain has run: Reflex sets ``is_hydrated`` back to True after it."""
    return delta.get(ROOT, {}).get(HYDRATED) is True


class ReflexClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.token = str(uuid.uuid4())
        self.updates: queue.Queue[dict[str, Any]] = queue.Queue()
        self.latest: dict[str, dict[str, Any]] = {}  # every var as last sent, including server pushes
        self.pushes = 0
        self.session_token = ""
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

        Reflex 0.10 marks no update as final, so the first update after sending is taken as the
        answer: right for a handler that answers once, only the busy flag for a `submits` form
        handler (use `call` with `submitted`). A server push to the same tab arriving in
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

    def call(self, name: str, payload: dict | None = None, path: str = "/", done: Done | None = None,
             timeout: float = 30) -> tuple[float, dict, list]:
        """Send one event; wait until `done(merged delta, frontend events)` holds over every update
        received since sending. Returns (seconds, merged delta, frontend events such as _redirect)."""
        return self._until([(name, payload)], path, done, timeout)

    def navigate(self, path: str, timeout: float = 30) -> tuple[float, dict, list]:
        """A client-side navigation to `path`, as the browser sends it: the client storage vars
        (here the session token) with update_vars_internal, then on_load_internal, which runs the
        page's on_load handlers on the server; answered when ``is_hydrated`` is True again."""
        events = [(ON_LOAD, None)]
        if self.session_token:
            events.insert(0, (UPDATE_VARS, {"vars": {f"{STATES['session']}.auth_token": self.session_token}}))
        return self._until(events, path, page_loaded, timeout)

    def _until(self, events: list[tuple[str, dict | None]], path: str, done: Done | None,
               timeout: float) -> tuple[float, dict, list]:
        while not self.updates.empty():
            self.updates.get_nowait()
        started = time.perf_counter()
        deadline = started + timeout
        for name, payload in events:  # the browser does not wait between queued events either
            self.sio.emit("event", {"name": name, "payload": payload or {},
                                    "router_data": {"pathname": path, "query": {}, "asPath": path}},
                          namespace="/_event")
        merged: dict[str, dict[str, Any]] = {}
        frontend: list[dict[str, Any]] = []
        while True:
            update = self.updates.get(timeout=max(0.001, deadline - time.perf_counter()))
            for state, values in (update.get("delta") or {}).items():
                merged.setdefault(state, {}).update(values)
            frontend.extend(update.get("events") or [])
            if done is None or done(merged, frontend):
                return time.perf_counter() - started, merged, frontend

    def login_with(self, session_token: str, path: str) -> None:
        self.session_token = session_token
        self.send(f"{ROOT}.hydrate", path=path)
        self.send(UPDATE_VARS, {"vars": {f"{STATES['session']}.auth_token": session_token}}, path=path)

    def close(self) -> None:
        self.sio.disconnect()
