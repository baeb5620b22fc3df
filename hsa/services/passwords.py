"""bcrypt hashing through a bounded number of slots; the cost is at least 12 (settings refuse lower).

Why slots: bcrypt at cost 12 is ~0.25 s of one core, on purpose. A flood of sign-in attempts
that reached it unbounded kept both cores hashing and every other visitor waiting. At most
`HSA_BCRYPT_WORKERS` hashes run at once (default 1 on this two-core size), and one client
address holds at most one of them: an attacker's attempts queue behind each other, never in
front of everyone else's. A caller that cannot get a slot within a few seconds is told the
server is busy instead of queueing without end.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache

import bcrypt

from hsa.services.errors import DomainError
from hsa.settings import get_settings

SLOT_WAIT_SECONDS = 3.0
SOURCE_WAIT_SECONDS = 1.0  # a second attempt from an address already hashing waits this long at most


class Busy(DomainError):
    """Every hashing slot stayed taken: nothing was checked or changed."""

    def __init__(self) -> None:
        super().__init__("The server is busy right now. Please try again in a moment.")


@lru_cache(maxsize=4)
def _slots(workers: int) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(workers)


def _slot() -> threading.BoundedSemaphore:
    return _slots(get_settings().bcrypt_workers)


_per_source: dict[str, list] = {}  # address -> [lock, users]; an entry lives while someone uses it
_per_source_guard = threading.Lock()


def _source_lock(source: str) -> threading.Lock:
    with _per_source_guard:
        entry = _per_source.setdefault(source, [threading.Lock(), 0])
        entry[1] += 1
        return entry[0]


def _source_done(source: str) -> None:
    with _per_source_guard:
        entry = _per_source[source]
        entry[1] -= 1
        if entry[1] == 0:
            del _per_source[source]


def _bcrypt(fn: object, *args: bytes, source: str | None = None) -> bytes | bool:
    deadline = time.monotonic() + SLOT_WAIT_SECONDS
    own = _source_lock(source) if source else None
    try:
        if own is not None and not own.acquire(timeout=SOURCE_WAIT_SECONDS):
            raise Busy()
        try:
            slot = _slot()
            if not slot.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise Busy()
            try:
                return fn(*args)  # type: ignore[operator]
            finally:
                slot.release()
        finally:
            if own is not None:
                own.release()
    finally:
        if source:
            _source_done(source)


def hash_password(password: str, *, source: str | None = None) -> str:
    """Callers validate length first (schemas.PASSWORD_MAX_BYTES): bcrypt would truncate.

    `source` is the client address asking (sign-up): one hash at a time per address."""
    rounds = get_settings().bcrypt_rounds
    salt = bcrypt.gensalt(rounds)
    return _bcrypt(bcrypt.hashpw, password.encode("utf-8"), salt, source=source).decode("ascii")  # type: ignore[union-attr]


def verify_password(password: str, password_hash: str, *, source: str | None = None) -> bool:
    """Constant-time check; over-long input is never a match but costs the same time."""
    raw = password.encode("utf-8")
    if len(raw) > 72:
        _bcrypt(bcrypt.checkpw, b"timing-equaliser", password_hash.encode("ascii"), source=source)
        return False
    return bool(_bcrypt(bcrypt.checkpw, raw, password_hash.encode("ascii"), source=source))


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A real hash at the configured cost, checked against when the email is unknown."""
    return hash_password("not-a-real-password-for-timing")
