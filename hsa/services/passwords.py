"""bcrypt hashing; the cost is at least 12 (settings refuse lower)."""

from __future__ import annotations

from functools import lru_cache

import bcrypt

from hsa.settings import get_settings


def hash_password(password: str) -> str:
    """Callers validate length first (schemas.PASSWORD_MAX_BYTES): bcrypt would truncate."""
    rounds = get_settings().bcrypt_rounds
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """Constant-time check; over-long input is never a match but costs the same time."""
    raw = password.encode("utf-8")
    if len(raw) > 72:
        bcrypt.checkpw(b"timing-equaliser", password_hash.encode("ascii"))
        return False
    return bcrypt.checkpw(raw, password_hash.encode("ascii"))


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A real hash at the configured cost, checked against when the email is unknown."""
    return hash_password("not-a-real-password-for-timing")
