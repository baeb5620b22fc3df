"""Rate limits shared by every worker: the `limits` library over Redis, or memory without it.

Why a library: its moving windows free their keys when they expire (the hand-written limiter
this replaces kept every address and email it ever saw), and its Redis storage makes the
budget one budget across workers. When Redis is configured but unreachable, limits fall back
to this process's memory rather than refusing every sign-in (logged once per outage).

Keys hold a hash of the email, never the address itself, so Redis holds no personal data.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from functools import lru_cache

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from hsa.i18n.text import msg
from hsa.settings import get_settings

log = logging.getLogger(__name__)
NAMESPACE = "hsa"

_memory = MovingWindowRateLimiter(MemoryStorage())
_lock = threading.Lock()
_redis_down_since = 0.0


@lru_cache(maxsize=4)
def _redis_limiter(url: str) -> MovingWindowRateLimiter:
    storage = storage_from_string(url, socket_timeout=0.5,
                                  socket_connect_timeout=0.5)
    return MovingWindowRateLimiter(storage)


@lru_cache(maxsize=64)
def rates(spec: str) -> tuple[RateLimitItem, ...]:
    """`30/minute;300/hour` as limit items (settings validated the syntax at start)."""
    return tuple(parse_many(spec))


def subject(text: str) -> str:
    """A stable, short, non-reversible key part for an email (case and spaces folded)."""
    return hashlib.sha256(text.strip().lower().encode()).hexdigest()[:20]


def _limiters() -> list[MovingWindowRateLimiter]:
    """Redis first when configured and not known to be down for the last 30 s, memory last."""
    url = get_settings().redis_url
    if url and time.monotonic() - _redis_down_since > 30:
        return [_redis_limiter(url), _memory]
    return [_memory]


def _run(op: str, spec: str, key: tuple[str, ...]) -> object:
    global _redis_down_since
    items = rates(spec)
    ids = (NAMESPACE, *key)
    for limiter in _limiters():
        try:
            return getattr(_ops, op)(limiter, items, ids)
        except Exception:  # any storage failure: fall back to memory, keep serving
            if limiter is _memory:
                raise
            with _lock:
                if time.monotonic() - _redis_down_since > 30:
                    log.warning("rate-limit storage unreachable; using this worker's memory for 30 s")
                _redis_down_since = time.monotonic()
    raise RuntimeError("unreachable")


class _ops:
    """The operations, written once against a limiter (so Redis and memory behave the same)."""

    @staticmethod
    def wait(limiter: MovingWindowRateLimiter, items: tuple[RateLimitItem, ...], ids: tuple[str, ...]) -> float:
        now = time.time()
        waits = [limiter.get_window_stats(item, *ids).reset_time - now
                 for item in items if not limiter.test(item, *ids)]
        return max(waits, default=0.0)

    @staticmethod
    def take(limiter: MovingWindowRateLimiter, items: tuple[RateLimitItem, ...], ids: tuple[str, ...]) -> float:
        wait = _ops.wait(limiter, items, ids)
        if wait <= 0:
            for item in items:
                limiter.hit(item, *ids)
        return wait

    @staticmethod
    def hit(limiter: MovingWindowRateLimiter, items: tuple[RateLimitItem, ...], ids: tuple[str, ...]) -> float:
        for item in items:
            limiter.hit(item, *ids)
        return _ops.wait(limiter, items, ids)

    @staticmethod
    def clear(limiter: MovingWindowRateLimiter, items: tuple[RateLimitItem, ...], ids: tuple[str, ...]) -> float:
        for item in items:
            limiter.clear(item, *ids)
        return 0.0


def wait(spec: str, *key: str) -> float:
    """Seconds until one more event under `key` fits every window of `spec` (0: it fits now)."""
    return float(_run("wait", spec, key))  # type: ignore[arg-type]


def take(spec: str, *key: str) -> float:
    """Count one event if it fits (0 returned), else count nothing and return the wait."""
    return float(_run("take", spec, key))  # type: ignore[arg-type]


def hit(spec: str, *key: str) -> float:
    """Count one event that already happened (a failure); return the wait it now causes."""
    return float(_run("hit", spec, key))  # type: ignore[arg-type]


def clear(spec: str, *key: str) -> None:
    _run("clear", spec, key)


def reset() -> None:
    """Forget every count in this process's memory (tests; Redis keys expire on their own)."""
    _memory.storage.reset()


def in_words(seconds: float) -> str:
    """'40 seconds', '1 minute', '15 minutes', '2 hours' — rounded up, for a retry message."""
    # Said as "Try again in {wait}" (Kannada: the genitive, "5 ನಿಮಿಷಗಳ ನಂತರ").
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return msg("svc_admin.wait_second" if seconds == 1 else "svc_admin.wait_seconds", count=seconds)
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return msg("svc_admin.wait_minute" if minutes == 1 else "svc_admin.wait_minutes", count=minutes)
    hours = math.ceil(minutes / 60)
    return msg("svc_admin.wait_hours", count=hours)
