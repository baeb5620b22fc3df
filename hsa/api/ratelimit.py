"""Sliding-window limits for login attempts, per client IP and per account.

In-process memory: each worker limits on its own (with N workers an attacker gets at most N
times the budget); the account lockout in the service layer is global and stays the real stop.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

IP_LIMIT = (20, 60.0)        # 20 attempts a minute from one address
ACCOUNT_LIMIT = (10, 60.0)   # 10 attempts a minute at one email


class SlidingWindow:
    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> float:
        """Record an attempt; 0 when allowed, else seconds until the next one is."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - self.seconds:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.seconds - now
            hits.append(now)
            return 0.0

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


by_ip = SlidingWindow(*IP_LIMIT)
by_account = SlidingWindow(*ACCOUNT_LIMIT)
