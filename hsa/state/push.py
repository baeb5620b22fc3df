"""Live pages by explicit push: a committed change refreshes exactly the open tabs that show it.

How it fits together:
- `hsa.services.changes` turns every commit into topics (``user:7``, ``pool:3``, ``admin``, ...).
- A page state, when it loads, `watch`es the topics its actor may see (derived on the server
  from the re-resolved actor, never from browser input). The registry maps topic → tab →
  state class; it lives in Redis when Reflex uses Redis (so any worker can push to any tab)
  and in memory otherwise (one worker).
- After a commit, the process that committed looks up the tabs and, for each, takes that
  tab's state lock with `app.modify_state` and awaits the state's `_on_push(topics)`, which
  reloads through the service layer as that tab's own user. Reflex relays the resulting
  delta to the worker holding the tab's socket.
- A refresh that finds no actor any more (blocked, deleted, password changed elsewhere) signs
  the tab out on the spot (`auth.end_if_signed_out`): its private data is wiped from the page.
- Pushes to one tab are coalesced: a burst of commits becomes one refresh, and a tab is
  refreshed at most once per `PUSH_INTERVAL` seconds of its state class. Tabs that
  disconnected or navigated away are dropped from the registry on the next push.

Idle cost is zero (no per-tab polling); a change costs one refresh per tab that shows it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import reflex as rx

from hsa.observability.metrics import ERRORS, PUSH_DELIVERIES, PUSH_QUEUE, PUSH_SECONDS
from hsa.services import changes
from hsa.state.auth import end_if_signed_out

log = logging.getLogger(__name__)

KEY_PREFIX = "hsa:live:"
REGISTRY_TTL_SECONDS = 24 * 3600
DEBOUNCE_SECONDS = 0.03
# Refreshes run in the same thread pool as the events users are waiting for: cap how many run
# at once so a booking that refreshes 50 boards never queues the next search behind them.
MAX_CONCURRENT_PUSHES = 1
S = TypeVar("S", bound=type)
_CLASSES: dict[str, _Live] = {}


@dataclass(frozen=True)
class _Live:
    cls: type[LiveState]
    route: str
    interval: float
    slow: dict[str, float]


def live(*, route: str = "", interval: float = 0.5,
         slow: dict[str, float] | None = None) -> Callable[[type[S]], type[S]]:
    """Class decorator: pushes to this state wait `interval` s between refreshes and reach only
    tabs still on `route` (empty: any page, e.g. the notification bell). `slow` maps a topic
    prefix to a longer interval used when only such topics are pending (a professional's open
    pool changes with every booking in the city; their own jobs must not wait). Runs at import,
    so every worker knows every live state even before one of its own tabs used it."""
    def register(cls: type[S]) -> type[S]:
        _CLASSES[cls.get_full_name()] = _Live(cls, route, interval, dict(slow or {}))
        return cls
    return register


def _interval(spec: _Live | None, topics: set[str]) -> float:
    if spec is None:
        return 1.0
    slow = [seconds for prefix, seconds in spec.slow.items() if all(t.startswith(prefix) for t in topics)]
    return max(slow) if slow else spec.interval


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
        _capture()
        wanted = [t for t in topics if t]
        if wanted:
            await _registry().add(self.router.session.client_token, self.get_full_name(), wanted)


_loop: asyncio.AbstractEventLoop | None = None
_app: Any = None


def _capture() -> None:
    """Remember this worker's event loop and app, and subscribe to commits (once per process)."""
    global _loop, _app
    if _app is None:
        with contextlib.suppress(Exception):
            from reflex_base.registry import RegistrationContext

            _app = RegistrationContext.get().app
    if _loop is None:
        _loop = asyncio.get_running_loop()
        changes.subscribe(_on_commit)


async def lifespan(app: Any) -> None:  # noqa: ANN401 - reflex passes its App
    """Reflex lifespan task: let API requests and background jobs push before any tab loaded."""
    global _app
    _app = app
    _capture()


async def client_connected(state: rx.State) -> bool:
    """False once the browser tab behind `state` has gone (works across workers with Redis)."""
    token = state.router.session.client_token
    app = _app
    if app is None or app.event_namespace is None:
        return True
    with contextlib.suppress(Exception):
        return bool(await app.event_namespace._token_manager.is_token_connected(token))
    return True


def on_page(state: rx.State, route: str) -> bool:
    """Is the tab still showing `route`? (router data follows the tab's last event)."""
    return state.router.url.path.rstrip("/") == route.rstrip("/")


# ---------------------------------------------------------------- registry (memory or Redis)

class _MemoryRegistry:
    """topic -> {(tab token, state name)}; one worker only."""

    def __init__(self) -> None:
        self._topics: dict[str, set[tuple[str, str]]] = defaultdict(set)

    async def add(self, token: str, state: str, topics: list[str]) -> None:
        for topic in topics:
            self._topics[topic].add((token, state))

    async def members(self, topic: str) -> set[tuple[str, str]]:
        if topic.endswith(":*"):
            prefix = topic[:-1]
            return {tab for name, tabs in list(self._topics.items()) if name.startswith(prefix) for tab in tabs}
        return set(self._topics.get(topic, ()))

    async def remove(self, token: str, state: str) -> None:
        for tabs in self._topics.values():
            tabs.discard((token, state))


class _RedisRegistry:
    """The same in Redis (a set per topic, members "token|state"), shared by every worker."""

    def __init__(self, url: str) -> None:
        import redis.asyncio as redis

        self._redis = redis.from_url(url, decode_responses=True)

    async def add(self, token: str, state: str, topics: list[str]) -> None:
        member, tab_key = f"{token}|{state}", f"{KEY_PREFIX}tab:{token}"
        async with self._redis.pipeline(transaction=False) as pipe:
            for topic in topics:
                pipe.sadd(KEY_PREFIX + topic, member)
                pipe.expire(KEY_PREFIX + topic, REGISTRY_TTL_SECONDS)
                pipe.sadd(tab_key, KEY_PREFIX + topic)
            pipe.expire(tab_key, REGISTRY_TTL_SECONDS)
            await pipe.execute()

    async def members(self, topic: str) -> set[tuple[str, str]]:
        keys = [KEY_PREFIX + topic]
        if topic.endswith(":*"):
            keys = [key async for key in self._redis.scan_iter(match=KEY_PREFIX + topic, count=500)]
        found: set[tuple[str, str]] = set()
        for key in keys:
            for member in await self._redis.smembers(key):
                token, _, state = member.partition("|")
                found.add((token, state))
        return found

    async def remove(self, token: str, state: str) -> None:
        for key in await self._redis.smembers(f"{KEY_PREFIX}tab:{token}"):
            await self._redis.srem(key, f"{token}|{state}")


_REGISTRY: _MemoryRegistry | _RedisRegistry | None = None


def _registry() -> _MemoryRegistry | _RedisRegistry:
    global _REGISTRY
    if _REGISTRY is None:
        url = os.environ.get("REFLEX_REDIS_URL") or rx.config.get_config().redis_url
        _REGISTRY = _RedisRegistry(url) if url else _MemoryRegistry()
    return _REGISTRY


# ---------------------------------------------------------------- delivery

_pending: dict[tuple[str, str], tuple[set[str], float]] = {}  # tab -> (topics, newest commit time)
_last: dict[tuple[str, str], float] = {}
_tasks: set[asyncio.Task] = set()
_slots: asyncio.Semaphore | None = None


def _on_commit(topics: frozenset[str]) -> None:
    """Called by `changes` after every commit, from whichever thread committed."""
    loop = _loop
    if loop is None or loop.is_closed():
        return
    committed_at = time.time()
    with contextlib.suppress(RuntimeError):  # loop shutting down
        loop.call_soon_threadsafe(_spawn, _fan_out(topics, committed_at))


def _spawn(coro: Any) -> None:  # noqa: ANN401 - a coroutine
    task = asyncio.get_running_loop().create_task(coro)
    _tasks.add(task)
    task.add_done_callback(_done)


def _done(task: asyncio.Task) -> None:
    _tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("live push failed", exc_info=task.exception())
        ERRORS.labels(kind="push").inc()


async def _fan_out(topics: frozenset[str], committed_at: float) -> None:
    registry = _registry()
    for topic in topics:
        for key in await registry.members(topic):
            if key in _pending:
                pending, _ = _pending[key]
                pending.add(topic)
                _pending[key] = (pending, committed_at)
            else:
                _pending[key] = ({topic}, committed_at)
                PUSH_QUEUE.set(len(_pending))
                _spawn(_deliver_when_due(key))


async def _deliver_when_due(key: tuple[str, str]) -> None:
    """One task per tab at a time: waits out the tab's interval, then delivers everything pending."""
    spec = _CLASSES.get(key[1])
    await asyncio.sleep(DEBOUNCE_SECONDS)
    while (wait := _last.get(key, 0.0) + _interval(spec, _pending.get(key, (set(), 0.0))[0]) - time.monotonic()) > 0:
        await asyncio.sleep(min(wait, 0.25))  # re-checked: a topic that must not wait may arrive
    pending, committed_at = _pending.pop(key, (set(), 0.0))
    PUSH_QUEUE.set(len(_pending))
    _last[key] = time.monotonic()
    if spec is None or not pending:
        return
    global _slots
    _slots = _slots or asyncio.Semaphore(MAX_CONCURRENT_PUSHES)
    async with _slots:
        keep = await _deliver(key[0], spec, frozenset(pending), committed_at)
    PUSH_SECONDS.observe(time.time() - committed_at)
    PUSH_DELIVERIES.labels(outcome="delivered" if keep else "dropped").inc()
    if not keep:
        await _registry().remove(*key)
        _last.pop(key, None)


async def _deliver(token: str, spec: _Live, topics: frozenset[str], committed_at: float) -> bool:
    app = _app
    if app is None or app.event_namespace is None:
        return True
    if not await app.event_namespace._token_manager.is_token_connected(token):
        return False
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=spec.cls)) as root:
        state = await root.get_state(spec.cls)
        if spec.route and not on_page(state, spec.route):
            return False
        if state._fresh_at >= committed_at:
            return True  # the tab reloaded after these commits (typically its own action)
        if await state._on_push(topics):
            return True
        await end_if_signed_out(root, state)
        return False


async def flush() -> None:
    """Wait until every push already scheduled has been delivered (tests and shutdown)."""
    while _tasks:
        await asyncio.gather(*list(_tasks), return_exceptions=True)
