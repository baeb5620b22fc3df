"""Helpers for the live-push tests: a recording `deliver`, a hub with one test state, a loop thread."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from hsa.state.push_hub import LiveSpec, PushHub

T = TypeVar("T")
PAGE = "test.page"  # the state name test tabs register under
Call = tuple[str, frozenset[str]]


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` on a fresh loop in its own thread (Playwright's sync API may own this thread's)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(contextvars.copy_context().run, asyncio.run, coro).result()


class Deliveries:
    """A `deliver` callback that records (token, topics) and lets a test wait for a condition."""

    def __init__(self, keep: bool = True) -> None:
        self.calls: list[Call] = []
        self.keep = keep
        self._changed = asyncio.Event()

    async def __call__(self, token: str, spec: LiveSpec, topics: frozenset[str], committed_at: float) -> bool:
        self.calls.append((token, topics))
        self._changed.set()
        return self.keep

    async def wait_for(self, done: Callable[[list[Call]], bool], timeout: float = 15.0) -> None:
        """Return as soon as `done(calls)` holds; TimeoutError after `timeout` seconds."""
        async with asyncio.timeout(timeout):
            while not done(self.calls):
                self._changed.clear()
                await self._changed.wait()

    def topics_for(self, token: str) -> set[str]:
        return {topic for tab, topics in self.calls if tab == token for topic in topics}


class CountingHub(PushHub):
    """A hub that also records every batch of topics it received, however it arrived."""

    def __init__(self, interval: float = 0.0) -> None:
        super().__init__()
        self.specs[PAGE] = LiveSpec(cls=object, route="", interval=interval)
        self.received: list[frozenset[str]] = []

    def receive(self, topics: frozenset[str], committed_at: float) -> None:
        self.received.append(topics)
        super().receive(topics, committed_at)
