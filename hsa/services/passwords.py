"""bcrypt hashing through a bounded number of slots; the cost is at least 12 (settings refuse lower).

Why slots: bcrypt at cost 12 is ~0.25 s of one core, on purpose. A flood of sign-in attempts
that reached it unbounded kept both cores hashing and every other visitor waiting. At most
`HSA_BCRYPT_WORKERS` hashes run at once (default 1 on this two-core size); a caller that cannot
get a slot within a few seconds is told the server is busy instead of queueing without end.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import bcrypt

from hsa.services.errors import DomainError
from hsa.settings import get_settings

SLOT_WAIT_SECONDS = 3.0


class Busy(DomainError):
    """Every hashing slot stayed taken: nothing was checked or changed."""

    def __init__(self) -> None:
        super().__init__("The server is busy right now. Please try again in a moment.")


@lru_cache(maxsize=4)
def _slots(workers: int) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(workers)


def _slot() -> threading.BoundedSemaphore:
    return _slots(get_settings().bcrypt_workers)


def _bcrypt(fn: object, *args: bytes) -> bytes | bool:
    slot = _slot()
    if not slot.acquire(timeout=SLOT_WAIT_SECONDS):
        raise Busy()
    try:
        return fn(*args)  # type: ignore[operator]
    finally:
        slot.release()


def hash_password(password: str) -> str:
    """Callers validate length first (schemas.PASSWORD_MAX_BYTES): bcrypt would truncate."""
    rounds = get_settings().bcrypt_rounds
    salt = bcrypt.gensalt(rounds)
    return _bcrypt(bcrypt.hashpw, password.encode("utf-8"), salt).decode("ascii")  # type: ignore[union-attr]


def verify_password(password: str, password_hash: str) -> bool:
    """Constant-time check; over-long input is never a match but costs the same time."""
    raw = password.encode("utf-8")
    if len(raw) > 72:
        _bcrypt(bcrypt.checkpw, b"timing-equaliser", password_hash.encode("ascii"))
        return False
    return bool(_bcrypt(bcrypt.checkpw, raw, password_hash.encode("ascii")))


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A real hash at the configured cost, checked against when the email is unknown."""
    return hash_password("not-a-real-password-for-timing")
