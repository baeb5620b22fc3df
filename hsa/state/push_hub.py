"""This worker's live-push hub: which of its tabs watch which topics, and when each is refreshed.

Why one object: the registry, the per-tab coalescing, the running tasks and the transport used
to be eight module-level variables filled in lazily by whichever call came first. `PushHub`
holds them all and has one lifecycle, `running(...)`, entered by the Reflex lifespan task of
each web worker (and by tests), left at shutdown.

Where commits come from (the transport):
- With Redis (`REFLEX_REDIS_URL`): every process that commits — this worker, another worker,
  `python -m hsa.cli reminders` from cron — publishes the commit's topics to one pub/sub
  channel (`hsa.services.changes.publish_to_redis`). The hub subscribes and fans out to the
  tabs registered *here*, which are the tabs whose sockets this worker holds (a tab registers
  from its own events, and those run where its socket is). A commit in this worker is also
  delivered only from the subscription, so it is never delivered twice. After the
  subscription drops and comes back, every registered tab is refreshed once: messages sent
  meanwhile are lost (pub/sub keeps nothing).
- Without Redis (one worker): commits are handed over in-process (`changes.subscribe`).

No Reflex here: delivery to one tab is the `deliver` callback `hsa.state.push` passes in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from hsa.observability.metrics import ERRORS, PUSH_DELIVERIES, PUSH_QUEUE, PUSH_SECONDS
from hsa.services import changes
from hsa.services.actor_cache import ACTORS

log = logging.getLogger(__name__)

Tab = tuple[str, str]  # (client token, state class full name)
DEBOUNCE_SECONDS = 0.03
# Refreshes run in the same thread pool as the events users are waiting for: cap how many run
# at once so a booking that refreshes 50 boards never queues the next search behind them.
MAX_CONCURRENT_PUSHES = 1
PRUNE_SECONDS = 300.0  # drop registrations of tabs whose socket closed and never got a push
RECONNECT_SECONDS = (0.5, 10.0)  # first and longest wait before re-subscribing to Redis
LISTENER_NAME = "hsa-push"


@dataclass(frozen=True)
class LiveSpec:
    """How one live state class is refreshed (see `hsa.state.push.live`)."""

    cls: type
    route: str
    interval: float
    slow: dict[str, float] = field(default_factory=dict)

    def interval_for(self, topics: set[str]) -> float:
        """Seconds between refreshes: the longest `slow` interval when every pending topic has
        that prefix, else the normal one."""
        slow = [s for prefix, s in self.slow.items() if all(t.startswith(prefix) for t in topics)]
        return max(slow) if slow else self.interval


class TabRegistry:
    """topic -> {tab}, for this worker's tabs only (so it lives in memory, with or without Redis)."""

    def __init__(self) -> None:
        self._topics: dict[str, set[Tab]] = defaultdict(set)

    def add(self, tab: Tab, topics: Iterable[str]) -> None:
        for topic in topics:
            self._topics[topic].add(tab)

    def members(self, topic: str) -> set[Tab]:
        """Tabs watching `topic`; ``prefix:*`` means every topic with that prefix."""
        if topic.endswith(":*"):
            prefix = topic[:-1]
            return {tab for name, tabs in list(self._topics.items()) if name.startswith(prefix) for tab in tabs}
        return set(self._topics.get(topic, ()))

    def topics(self) -> set[str]:
        return {name for name, tabs in self._topics.items() if tabs}

    def remove(self, tab: Tab) -> None:
        for name in list(self._topics):
            self._topics[name].discard(tab)
            if not self._topics[name]:
                del self._topics[name]

    def keep_only(self, tokens: set[str]) -> int:
        """Forget every tab whose token is not in `tokens`; returns how many tabs were dropped."""
        gone = {tab for tabs in self._topics.values() for tab in tabs if tab[0] not in tokens}
        for tab in gone:
            self.remove(tab)
        return len(gone)


Deliver = Callable[[str, LiveSpec, frozenset[str], float], Awaitable[bool]]


class PushHub:
    """One per process (`hsa.state.push.HUB`); idle until `running` is entered."""

    def __init__(self) -> None:
        self.specs: dict[str, LiveSpec] = {}  # filled at import by @live: known before any tab
        self.tabs = TabRegistry()
        self.app: Any = None  # the host app while running (opaque here; push.py's adapter reads it)
        self.subscribed = asyncio.Event()  # set while the Redis subscription is live
        self._loop: asyncio.AbstractEventLoop | None = None
        self._deliver: Deliver | None = None
        self._pending: dict[Tab, tuple[set[str], float]] = {}  # tab -> (topics, newest commit time)
        self._last: dict[Tab, float] = {}
        self._tasks: set[asyncio.Task] = set()
        self._slots: asyncio.Semaphore | None = None

    # ------------------------------------------------------------ lifecycle

    @contextlib.asynccontextmanager
    async def running(self, app: Any, deliver: Deliver, *, redis_url: str = "",
                      open_tabs: Callable[[], set[str]] | None = None) -> AsyncIterator[PushHub]:
        """Deliver commits to this worker's tabs until the block ends (one worker's lifetime)."""
        self.app, self._deliver = app, deliver
        self._loop = asyncio.get_running_loop()
        self._slots = asyncio.Semaphore(MAX_CONCURRENT_PUSHES)
        self.subscribed = asyncio.Event()
        background: list[asyncio.Task] = []
        if redis_url:
            ACTORS.trust(False)  # until the subscription is live, other workers' revocations cannot reach us
            changes.publish_to_redis(redis_url)
            background.append(asyncio.create_task(self._listen(redis_url), name="hsa-push-listen"))
        else:
            changes.subscribe(self.on_commit)
        if open_tabs is not None:
            background.append(asyncio.create_task(self._prune(open_tabs), name="hsa-push-prune"))
        try:
            yield self
        finally:
            self._loop = None  # on_commit stays subscribed (changes has no unsubscribe): now a no-op
            for task in (*background, *self._tasks):
                task.cancel()
            await asyncio.gather(*background, *self._tasks, return_exceptions=True)
            if redis_url:  # nothing listens to other processes any more: only this one's commits count
                ACTORS.trust(True)
            self._pending.clear()
            PUSH_QUEUE.set(0)
            self.app = self._deliver = None

    def watch(self, token: str, state: str, topics: Iterable[str | None]) -> None:
        """Register a tab's state for `topics` (from a handler, after resolving its actor)."""
        wanted = [t for t in topics if t]
        if token and wanted:
            self.tabs.add((token, state), wanted)

    async def flush(self) -> None:
        """Wait until every push already scheduled has been delivered (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # ------------------------------------------------------------ transports

    def on_commit(self, topics: frozenset[str]) -> None:
        """In-process transport: called by `changes` after every commit, from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # loop shutting down
            loop.call_soon_threadsafe(self.receive, topics, time.time())

    async def _listen(self, url: str) -> None:
        """Redis transport: follow the channel for the worker's lifetime, reconnecting with backoff."""
        import redis.asyncio as redis

        wait, first = RECONNECT_SECONDS[0], True
        client = redis.Redis.from_url(url, health_check_interval=30, socket_connect_timeout=2, socket_keepalive=True,
                                      client_name=f"{LISTENER_NAME}:{os.getpid()}")  # CLIENT LIST names the worker
        try:
            while True:
                try:
                    async with client.pubsub() as pubsub:
                        await pubsub.subscribe(changes.channel(url))
                        async for message in pubsub.listen():
                            if message["type"] == "subscribe":
                                ACTORS.trust(True)
                                self.subscribed.set()
                                wait = RECONNECT_SECONDS[0]
                                if not first:  # commits published while we were away were lost
                                    self.receive(frozenset(self.tabs.topics()), time.time())
                                first = False
                            elif message["type"] == "message":
                                self._receive_message(message["data"])
                except Exception as exc:  # Redis gone or restarted: never leave this worker without pushes
                    ACTORS.trust(False)
                    self.subscribed.clear()
                    log.warning("live push subscription lost (%s); retrying in %.1f s", type(exc).__name__, wait)
                    ERRORS.labels(kind="push").inc()
                    await asyncio.sleep(wait)
                    wait = min(wait * 2, RECONNECT_SECONDS[1])
        finally:
            ACTORS.trust(False)
            self.subscribed.clear()
            await client.aclose()

    def _receive_message(self, data: bytes | str) -> None:
        try:
            topics = changes.decode(data)
        except ValueError:
            log.warning("ignored a message on the live push channel that is not ours")
            return
        ACTORS.forget_topics(topics)  # another worker's logout or block: before any later event resolves
        self.receive(topics, time.time())  # this worker's clock: `_fresh_at` is compared with it

    async def _prune(self, open_tabs: Callable[[], set[str]]) -> None:
        while True:
            await asyncio.sleep(PRUNE_SECONDS)
            with contextlib.suppress(Exception):
                self.tabs.keep_only(open_tabs())

    # ------------------------------------------------------------ coalescing and delivery

    def receive(self, topics: frozenset[str], committed_at: float) -> None:
        """Queue one commit's topics for every tab here that watches them (on the event loop)."""
        for topic in topics:
            for tab in self.tabs.members(topic):
                if tab in self._pending:
                    pending, _ = self._pending[tab]
                    pending.add(topic)
                    self._pending[tab] = (pending, committed_at)
                else:
                    self._pending[tab] = ({topic}, committed_at)
                    PUSH_QUEUE.set(len(self._pending))
                    self._spawn(self._deliver_when_due(tab))

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("live push failed", exc_info=task.exception())
            ERRORS.labels(kind="push").inc()

    async def _deliver_when_due(self, tab: Tab) -> None:
        """One task per tab at a time: waits out the tab's interval, then delivers all pending."""
        spec = self.specs.get(tab[1])
        await asyncio.sleep(DEBOUNCE_SECONDS)
        while (wait := self._last.get(tab, 0.0) + self._interval(spec, tab) - time.monotonic()) > 0:
            await asyncio.sleep(min(wait, 0.25))  # re-checked: a topic that must not wait may arrive
        pending, committed_at = self._pending.pop(tab, (set(), 0.0))
        PUSH_QUEUE.set(len(self._pending))
        self._last[tab] = time.monotonic()
        deliver, slots = self._deliver, self._slots
        if spec is None or not pending or deliver is None or slots is None:
            return
        async with slots:
            keep = await deliver(tab[0], spec, frozenset(pending), committed_at)
        PUSH_SECONDS.observe(max(0.0, time.time() - committed_at))
        PUSH_DELIVERIES.labels(outcome="delivered" if keep else "dropped").inc()
        if not keep:
            self.tabs.remove(tab)
            self._last.pop(tab, None)

    def _interval(self, spec: LiveSpec | None, tab: Tab) -> float:
        if spec is None:
            return 1.0
        return spec.interval_for(self._pending.get(tab, (set(), 0.0))[0])
