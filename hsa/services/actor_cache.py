"""A short-lived, in-process cache of token hash → Actor, so an event does not cost three queries.

Every event resolves its actor (the single gate between a browser and the data). Under load that
lookup was 13 % of the server's time, most of it for tokens resolved a second earlier. An entry is
trusted for at most `TTL_SECONDS`, and is dropped at once when a commit touches the user
(`user:<id>`: block, delete, role, name, approval) or their sessions (`auth:<id>`: logout, password
change, revoke everywhere) — in this process through `changes.subscribe`, in other workers through
the Redis push channel (`hsa.state.push_hub` calls `forget_topics`). While a configured Redis
subscription is down, another worker's revocation could not reach us, so the cache is switched off
(`trust(False)`) and every event reads the database again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from hsa.services import changes
from hsa.services.actors import Actor

TTL_SECONDS = 15.0
MAX_ENTRIES = 50_000  # one per signed-in tab's token; beyond this the oldest half is dropped


@dataclass(frozen=True)
class Entry:
    actor: Actor
    expires_at: datetime     # the session's own hard expiry
    last_seen_at: datetime   # as read from the database (idle expiry is checked against it)
    cached_at: float         # time.monotonic() when read


class ActorCache:
    """Thread-safe: events resolve actors in worker threads; invalidation comes from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, Entry] = {}
        self._by_user: dict[int, set[str]] = {}
        self._enabled = True
        # A read that began before an invalidation must not store what it read: `snapshot()` before
        # the query, `put(..., since=)` after; puts older than the user's last forget are refused.
        self._clock = 0
        self._forgot_at: dict[int, int] = {}
        self._trusted_since = 0
        self.hits = 0
        self.misses = 0

    def get(self, token_hash: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(token_hash) if self._enabled else None
            if entry is not None and time.monotonic() - entry.cached_at > TTL_SECONDS:
                self._drop(token_hash)
                entry = None
            if entry is None:
                self.misses += 1
            else:
                self.hits += 1
            return entry

    def snapshot(self) -> int:
        """Call before reading the session from the database; pass the value to `put`."""
        with self._lock:
            return self._clock

    def put(self, token_hash: str, entry: Entry, *, since: int) -> None:
        with self._lock:
            if (not self._enabled or since < self._trusted_since
                    or self._forgot_at.get(entry.actor.id, -1) > since):
                return
            if len(self._entries) >= MAX_ENTRIES:
                for key in list(self._entries)[: MAX_ENTRIES // 2]:
                    self._drop(key)
            self._entries[token_hash] = entry
            self._by_user.setdefault(entry.actor.id, set()).add(token_hash)

    def forget_users(self, user_ids: Iterable[int]) -> None:
        with self._lock:
            self._clock += 1
            for user_id in user_ids:
                self._forgot_at[user_id] = self._clock
                for key in self._by_user.pop(user_id, set()):
                    self._entries.pop(key, None)

    def forget_topics(self, topics: Iterable[str]) -> None:
        """Drop the entries of every user a commit touched (`user:<id>`, `auth:<id>`)."""
        ids = []
        for topic in topics:
            kind, _, rest = topic.partition(":")
            if kind in ("user", "auth") and rest.isdigit():
                ids.append(int(rest))
        if ids:
            self.forget_users(ids)

    def trust(self, enabled: bool) -> None:
        """Switch the cache on or off (off also empties it): off while invalidations could be missed."""
        with self._lock:
            self._clock += 1
            self._trusted_since = self._clock
            self._enabled = enabled
            if not enabled:
                self._entries.clear()
                self._by_user.clear()

    def clear(self) -> None:
        with self._lock:
            self._clock += 1
            self._trusted_since = self._clock
            self._entries.clear()
            self._by_user.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, token_hash: str) -> None:
        entry = self._entries.pop(token_hash, None)
        if entry is not None:
            keys = self._by_user.get(entry.actor.id)
            if keys is not None:
                keys.discard(token_hash)
                if not keys:
                    del self._by_user[entry.actor.id]


ACTORS = ActorCache()
changes.subscribe(ACTORS.forget_topics)  # this process's own commits, synchronously after COMMIT
