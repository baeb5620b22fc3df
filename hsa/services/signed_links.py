"""Signed, expiring download links: one rule for every private file we serve by URL.

A link is minted only after the service has checked who is asking; the URL then carries that
decision (`exp` and an HMAC over what it opens), so the download route needs no session or
cookie and a browser can fetch it directly (a `<a download>`, an `<object>`). Whoever holds the
URL may use it until it expires, which is why lifetimes are short and responses `no-store`.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from hsa.i18n import text
from hsa.services.errors import Forbidden
from hsa.settings import get_settings

EXPIRED = text.msg("svc_account.link_expired")


def signature(subject: str, expires: int) -> str:
    """HMAC-SHA256 of `subject` (what the link opens, e.g. "7:ab12.pdf") and its expiry, with the app's secret."""
    msg = f"{subject}:{expires}".encode()
    return hmac.new(get_settings().secret_key.encode(), msg, hashlib.sha256).hexdigest()


def mint(subject: str, *, seconds: int, now: float | None = None) -> tuple[int, str]:
    """(expires, signature) for a link valid `seconds` from `now`."""
    expires = int((time.time() if now is None else now) + seconds)
    return expires, signature(subject, expires)


def query(subject: str, *, seconds: int, now: float | None = None) -> str:
    """The link's query string: "exp=…&sig=…"."""
    expires, sig = mint(subject, seconds=seconds, now=now)
    return f"exp={expires}&sig={sig}"


def check(subject: str, *, expires: int, sig: str, now: float | None = None, message: str = EXPIRED) -> None:
    """Forbidden unless the signature matches and has not expired (compared in constant time)."""
    expected = signature(subject, expires)
    if expires < (time.time() if now is None else now) or not hmac.compare_digest(expected, sig or ""):
        raise Forbidden(message)
