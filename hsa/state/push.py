"""Live pages by explicit push: a committed change refreshes exactly the open tabs that show it.

How it fits together:
- `hsa.services.changes` turns every commit into topics (``user:7``, ``pool:3``, ``admin``, ...).
- A page state, when it loads, `_watch`es the topics its actor may see (derived on the server
  from the re-resolved actor, never from browser input), in this worker's `HUB`.
- Commits reach the hub in-process (one worker) or, with Redis, through a pub/sub channel that
  every committing process publishes to — other workers and the cron CLI included — so each
  worker refreshes its own tabs (`hsa.state.push_hub` explains the transport).
- For each tab, `_deliver` takes that tab's state lock and awaits the state's
  `_on_push(topics)`, which reloads through the service layer as that tab's own user; Reflex
  sends the delta down the tab's socket, which this worker holds.
- A refresh that finds no actor any more (blocked, deleted, password changed elsewhere) signs
  the tab out on the spot (`auth.end_if_signed_out`): its private data is wiped from the page.
- Pushes to one tab are coalesced: a burst of commits becomes one refresh, and a tab is
  refreshed at most once per `interval` seconds of its state class. Tabs that disconnected,
  moved to another worker or navigated away are dropped on the next push.

Idle cost is zero (no per-tab polling); a change costs one refresh per tab that shows it.
Every Reflex internal this needs is in `hsa.state.reflex_adapter`.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any, TypeVar

import reflex as rx

from hsa.settings import get_settings
from hsa.state import reflex_adapter as adapter
from hsa.state.auth import end_if_signed_out
from hsa.state.locale import speak_tab_language
from hsa.state.push_hub import LiveSpec, PushHub

S = TypeVar("S", bound=type)
HUB = PushHub()


def live(*, route: str = "", interval: float = 0.5,
         slow: dict[str, float] | None = None) -> Callable[[type[S]], type[S]]:
    """Class decorator: pushes to this state wait `interval` s between refreshes and reach only
    tabs still on `route` (empty: any page, e.g. the notification bell). `slow` maps a topic
    prefix to a longer interval used when only such topics are pending (a professional's open
    pool changes with every booking in the city; their own jobs must not wait). Runs at import,
    so every worker knows every live state even before one of its own tabs used it."""
    def register(cls: type[S]) -> type[S]:
        HUB.specs[adapter.state_name(cls)] = LiveSpec(cls, route, interval, dict(slow or {}))
        return cls
    return register


class LiveState(rx.State, mixin=True):
    """Mixin for page states that refresh when their topics change.

    Subclasses implement `_on_push(topics) -> bool` (False drops the tab's registration, e.g.
    when the session ended) and are decorated with `@live(...)`.
    """

    _fresh_at: float = 0.0

    async def _on_push(self, topics: frozenset[str]) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def _mark_fresh(self) -> None:
        """Call just before a handler reloads everything: pushes for commits before now are moot
        (a professional's own accept would otherwise reload their board twice)."""
        self._fresh_at = time.time()

    async def _watch(self, topics: Iterable[str | None]) -> None:
        """Register this tab for `topics` (call from a handler after resolving the actor)."""
        HUB.watch(adapter.client_token(self), adapter.state_name(type(self)), topics)


@contextlib.asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:  # noqa: ANN401 - reflex passes its App
    """Reflex lifespan task, one per worker: deliver commits to this worker's tabs from startup
    (so API requests and background jobs push before any tab loaded) until shutdown."""
    async with HUB.running(app, functools.partial(_deliver, app), redis_url=get_settings().redis_url,
                           open_tabs=functools.partial(adapter.connected_tokens, app)):
        yield


async def client_connected(state: rx.State) -> bool:
    """False once the browser tab behind `state` has gone (on any worker, with Redis)."""
    return await adapter.connected_anywhere(HUB.app, adapter.client_token(state))


def on_page(state: rx.State, route: str) -> bool:
    """Is the tab still showing `route`? (router data follows the tab's last event)."""
    return adapter.page_path(state).rstrip("/") == route.rstrip("/")


async def _deliver(app: Any, token: str, spec: LiveSpec, topics: frozenset[str], committed_at: float) -> bool:
    """Refresh one tab of this worker; False drops its registration (gone, moved, signed out)."""
    if not adapter.can_deliver(app):
        return True
    if not adapter.connected_here(app, token):
        return False  # closed, or reconnected to another worker (which registered it anew)
    async with adapter.tab_state(app, token, spec.cls) as (root, state):
        if spec.route and not on_page(state, spec.route):
            return False
        if state._fresh_at >= committed_at:
            return True  # the tab reloaded after these commits (typically its own action)
        await speak_tab_language(state)  # rows and errors the refresh builds: in the tab's language
        if await state._on_push(topics):
            return True
        await end_if_signed_out(root, state)
        return False


async def flush() -> None:
    """Wait until every push already scheduled has been delivered (tests and shutdown)."""
    await HUB.flush()
