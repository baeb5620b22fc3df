"""Live pages without reloads: a background loop per open page polls a cheap change marker.

Chosen over explicit push for now because it works the same with one worker or several
(each worker polls the shared database) and needs no registry of open tabs; the cost is
one indexed query per open page per second. The loop stops when the tab disconnects or
navigates away.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import reflex as rx
from reflex_base.registry import RegistrationContext

POLL_SECONDS = 1.0


async def client_connected(state: rx.State) -> bool:
    """False once the browser tab behind `state` has gone (works across workers with Redis)."""
    token = state.router.session.client_token
    with contextlib.suppress(Exception):
        namespace = RegistrationContext.get().app.event_namespace
        if namespace is not None:
            return bool(await namespace._token_manager.is_token_connected(token))
    return True


def on_page(state: rx.State, route: str) -> bool:
    """Is the tab still showing `route`? (router data follows the last event of the tab)."""
    return state.router.url.path.rstrip("/") == route.rstrip("/")


async def run_watch(state: rx.State, route: str, tick: Callable[[], Awaitable[bool]]) -> None:
    """Body of a page's `@rx.event(background=True) watch` handler.

    Once a second, under the state lock, it stops if the tab left `route` or disconnected, else
    awaits `tick()`, which compares the page's change marker and reloads; `tick` returns False
    to stop (for example when the session has ended). One loop per tab: `_watching` guards it.
    """
    async with state:
        if state._watching:  # type: ignore[attr-defined]
            return
        state._watching = True  # type: ignore[attr-defined]
    try:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            async with state:
                if not on_page(state, route) or not await client_connected(state):
                    return
                if not await tick():
                    return
    finally:
        async with state:
            state._watching = False  # type: ignore[attr-defined]
