"""Single-use links mailed to an account's address (password reset, email verification).

The raw token is in the link only; the database keeps its SHA-256, so a leaked table opens no
account. A link is good once, until it expires, and only while the account's email is still
the one it was sent to. Issuing a new link voids the earlier unused ones of the same purpose,
so only the newest mail works (what people expect after pressing "send again").
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select, update

from hsa.i18n.text import msg
from hsa.models import AccountToken, TokenPurpose, User, UserStatus, utcnow
from hsa.services.sessions import hash_token

TOKEN_BYTES = 32
LIFETIME = {TokenPurpose.reset_password: timedelta(minutes=30), TokenPurpose.verify_email: timedelta(hours=24)}
INVALID = msg("svc_account.link_invalid")


class LinkRefused(Exception):
    """The link is unknown, used, expired, voided or for another address; say `INVALID`."""


def issue(session: Session, user: User, purpose: TokenPurpose, *, now: datetime | None = None) -> str:
    """A fresh raw token for `user` (earlier unused ones of this purpose stop working)."""
    now = now or utcnow()
    assert user.id is not None
    session.exec(update(AccountToken).where(  # type: ignore[call-overload]
        AccountToken.user_id == user.id, AccountToken.purpose == purpose,
        AccountToken.used_at.is_(None)).values(used_at=now))  # type: ignore[union-attr]
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=hash_token(raw), email=user.email,
                             created_at=now, expires_at=now + LIFETIME[purpose]))
    return raw


def _live(session: Session, raw: str, purpose: TokenPurpose, now: datetime) -> tuple[AccountToken, User] | None:
    """The link's row and (active) user while it still works, else None."""
    if not raw or len(raw) > 100:
        return None
    row = session.exec(select(AccountToken).where(AccountToken.token_hash == hash_token(raw),
                                                  AccountToken.purpose == purpose)).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or user.status is not UserStatus.active or user.email != row.email:
        return None
    return row, user


def is_open(session: Session, raw: str, purpose: TokenPurpose, *, now: datetime | None = None) -> bool:
    """Would `redeem` accept it now? (read only: the page decides between its form and "ask again")."""
    return _live(session, raw, purpose, now or utcnow()) is not None


def redeem(session: Session, raw: str, purpose: TokenPurpose, *, now: datetime | None = None) -> User:
    """Use the link once: returns its (active) user and marks it used; else raises LinkRefused.
    The row is updated in the caller's transaction, so a rollback leaves the link usable."""
    found = _live(session, raw, purpose, now := now or utcnow())
    if found is None:
        raise LinkRefused(INVALID)
    row, user = found
    # Claim it with a conditional update: of two tabs opening the same link, only one wins.
    claimed = session.exec(update(AccountToken).where(  # type: ignore[call-overload]
        AccountToken.id == row.id, AccountToken.used_at.is_(None)).values(used_at=now))  # type: ignore[union-attr]
    if not claimed.rowcount:
        raise LinkRefused(INVALID)
    return user


KEEP = timedelta(days=1)  # after expiry: a person asking "why did my link not work?" can be helped


def purge(session: Session, *, now: datetime) -> int:
    """The retention pass: links past their expiry by a day go (used ones carry no secret either)."""
    result = session.exec(delete(AccountToken).where(col(AccountToken.expires_at) < now - KEEP))  # type: ignore[call-overload]
    return result.rowcount or 0


def link(path: str, raw: str) -> str:
    """The absolute URL a mail carries (the public site's address from the settings)."""
    from hsa.settings import get_settings

    return f"{get_settings().public_url.rstrip('/')}{path}?token={raw}"


__all__ = ["INVALID", "LIFETIME", "LinkRefused", "is_open", "issue", "link", "purge", "redeem"]
