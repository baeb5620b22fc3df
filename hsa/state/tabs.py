"""Open tabs per client address, events per tab, and how long a signed-out tab's state outlives its socket.

Why: every websocket tab gets a server-side state tree. 150 fresh anonymous tabs added 82 MB
and Reflex kept each for an hour after it closed. So this worker refuses a connection beyond
`HSA_MAX_TABS_PER_IP` open tabs from one address (behind a trusted proxy, the forwarded
address), and when a tab that never signed in disconnects, its state is dropped after
`HSA_ANONYMOUS_TAB_MINUTES` instead of an hour (a signed-in tab keeps Reflex's hour, so a
reconnect after a network blip finds it as it was). Pages reload their data on connect, so a
dropped anonymous state costs nothing but a fresh one. And one socket may send `EVENT_BURST`
events at once and `EVENT_RATE` a second after that; the rest are dropped before Reflex locks a
state for them (960 login events in 6 s from one tab each took the state lock and a thread).

Reflex 0.10.1 has no hook for either: this wraps the socket namespace's connect/disconnect
handlers on the instance (socket.io looks them up by name on each event) and, for the in-memory
state manager, moves the token's expiry the way Reflex's own `_track_token` does.
`tests/state/test_tabs.py` fails if those names change. With Redis, states keep Reflex's TTL
(`REFLEX_REDIS_TOKEN_EXPIRATION`); the tab cap is per worker.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import reflex as rx
from prometheus_client import Counter as PromCounter
from prometheus_client import Gauge
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken

from hsa.services.clients import client_address
from hsa.settings import get_settings
from hsa.state.auth import SessionState

log = logging.getLogger(__name__)

REFUSED = {"message": "Too many open tabs from your network. Close some and reload."}
# A person's tab sends a few events a second at most (a page load is 3-5); a script sends hundreds.
EVENT_BURST, EVENT_RATE = 30.0, 10.0
DROPPED_EVENTS = PromCounter("hsa_dropped_events", "Websocket events dropped: one tab sent more than a person can")
# How many tab states this worker holds in memory (open tabs plus closed ones not yet dropped).
TAB_STATES = Gauge("hsa_tab_states", "Tab state trees held in this worker's memory", multiprocess_mode="livesum")


def environ_address(environ: dict) -> str:
    """The connecting client's address from socket.io's WSGI-style environ (ASGI scope inside)."""
    scope = environ.get("asgi.scope") or {}
    client = scope.get("client") or (environ.get("REMOTE_ADDR", ""), 0)
    forwarded = ""
    for name, value in scope.get("headers") or []:
        if name.lower() == b"x-forwarded-for":
            forwarded = value.decode("latin-1")
    return client_address(str(client[0]), forwarded, get_settings().trusted_proxies)


class TabLimits:
    """Counts this worker's open sockets per address; refuses past the cap."""

    def __init__(self, app: Any) -> None:  # noqa: ANN401 - reflex's App
        self.app = app
        self.open: Counter[str] = Counter()
        self.address_of: dict[str, str] = {}
        self.events: dict[str, list[float]] = {}  # per socket: [tokens left, last refill time]
        self.dropped = 0

    def _event_allowed(self, sid: str) -> bool:
        """A token bucket per socket: EVENT_BURST at once, EVENT_RATE a second after that."""
        now = time.monotonic()
        bucket = self.events.setdefault(sid, [EVENT_BURST, now])
        bucket[0] = min(EVENT_BURST, bucket[0] + (now - bucket[1]) * EVENT_RATE)
        bucket[1] = now
        if bucket[0] < 1:
            self.dropped += 1
            DROPPED_EVENTS.inc()
            return False
        bucket[0] -= 1
        return True

    def install(self) -> None:
        namespace = self.app.event_namespace
        connect: Callable[..., Any] = namespace.on_connect
        disconnect: Callable[..., Any] = namespace.on_disconnect
        handle_event: Callable[..., Any] = namespace.on_event

        async def on_connect(sid: str, environ: dict, auth: Any = None) -> Any:  # noqa: ANN401
            address = environ_address(environ)
            if self.open[address] >= get_settings().max_tabs_per_ip:
                log.warning("tab refused: %s has %d open", address, self.open[address])
                raise ConnectionRefusedError(REFUSED["message"])
            self.open[address] += 1
            self.address_of[sid] = address
            try:
                return await connect(sid, environ, auth)
            except BaseException:
                self._release(sid)
                raise

        def on_disconnect(sid: str, reason: Any = None) -> Any:  # noqa: ANN401
            token = namespace.sid_to_token.get(sid)
            self._release(sid)
            self.events.pop(sid, None)
            task = disconnect(sid)
            if token and task is not None:  # after Reflex's own cleanup, which touches the state again
                task.add_done_callback(lambda _task: self.forget_soon_if_anonymous(token))
            elif token:
                self.forget_soon_if_anonymous(token)
            return task

        async def on_event(sid: str, data: Any) -> Any:  # noqa: ANN401
            if not self._event_allowed(sid):
                return None  # a flood from one tab is dropped here, before any state is locked
            return await handle_event(sid, data)

        namespace.on_connect = on_connect
        namespace.on_disconnect = on_disconnect
        namespace.on_event = on_event
        manager = self.app.state_manager
        if isinstance(manager, StateManagerMemory):
            TAB_STATES.set_function(lambda: len(manager.states))

    def _release(self, sid: str) -> None:
        address = self.address_of.pop(sid, None)
        if address is not None:
            self.open[address] -= 1
            if self.open[address] <= 0:
                del self.open[address]

    def forget_soon_if_anonymous(self, token: str) -> bool:
        """Shorten a signed-out tab's stay in memory (the in-memory manager only). True if it did."""
        manager = self.app.state_manager
        if not isinstance(manager, StateManagerMemory):
            return False
        key = BaseStateToken(ident=token, cls=rx.State)
        root = manager.states.get(key.cache_key)
        if root is None:
            return False
        with contextlib.suppress(Exception):
            session = root.get_substate(SessionState.get_full_name().split(".")[1:])
            if session.auth_token:
                return False
        deadline = time.time() + get_settings().anonymous_tab_minutes * 60
        current = manager._token_expires_at.get(key.cache_key)
        if current is not None and current[0] > deadline:
            manager._token_expires_at[key.cache_key] = (deadline, current[1])
            # Reflex's purge task sleeps until the earliest deadline it knew: wake it for this one.
            if manager._expiration_task is not None:
                manager._expiration_task.cancel()
                manager._expiration_task = None
            manager._ensure_expiration_task()
        return True


_limits: TabLimits | None = None


async def lifespan(app: Any) -> None:  # noqa: ANN401 - reflex passes its App
    """Reflex lifespan task: install the tab limits once the socket namespace exists."""
    global _limits
    if _limits is None and app.event_namespace is not None:
        _limits = TabLimits(app)
        _limits.install()
