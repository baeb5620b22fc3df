"""Server-side login sessions: random bearer tokens, stored only as SHA-256, with two expiries."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime, timedelta

from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select, update

from hsa.i18n.text import msg
from hsa.models import AuthSession, ProfessionalProfile, Role, User, UserStatus, utcnow
from hsa.services import changes
from hsa.services.actor_cache import ACTORS, Entry
from hsa.services.actors import Actor
from hsa.settings import get_settings

TOKEN_BYTES = 32
LAST_SEEN_RESOLUTION = timedelta(seconds=60)  # avoid a write on every single event


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_session(*, session: Session, user_id: int, now: datetime | None = None, device: str = "") -> str:
    """Create a session row and return the raw token (shown to the client once, never stored).
    `device` is the browser's User-Agent, shortened for "Where you're signed in"."""
    now = now or utcnow()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    max_age = timedelta(hours=get_settings().session_max_hours)
    session.add(AuthSession(token_hash=hash_token(token), user_id=user_id, created_at=now,
                            last_seen_at=now, expires_at=now + max_age, device=device_label(device)))
    return token


def revoke_all(*, session: Session, user_id: int, now: datetime | None = None) -> int:
    """End every live session of a user (logout everywhere, password change, block, delete)."""
    result = session.exec(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))  # type: ignore[union-attr]
        .values(revoked_at=now or utcnow())
    )
    changes.touch(session, changes.auth(user_id))  # a bulk UPDATE: the flush listener cannot see it
    return result.rowcount or 0


def revoke_token(*, session: Session, token: str, now: datetime | None = None) -> None:
    """End one session (logout). Unknown tokens are ignored: logout is idempotent."""
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == hash_token(token))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = now or utcnow()
        session.add(row)


def resolve_actor(*, session: Session, token: str | None, now: datetime | None = None) -> Actor | None:
    """Token -> Actor, or None when missing, unknown, revoked, expired, or the user is not active.

    Called on every event: it is the single gate between a browser and the data. A token resolved
    in the last few seconds is answered from `actor_cache` (dropped on any change to the user or
    their sessions), so a burst of events costs one lookup.
    """
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    key = hash_token(token)
    cached = ACTORS.get(key)
    if cached is not None and cached.expires_at > now and now - cached.last_seen_at < LAST_SEEN_RESOLUTION:
        return cached.actor  # (past the resolution, the database path below moves last_seen_at on)
    since = ACTORS.snapshot()
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == key)).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if row.last_seen_at + _idle() <= now:
        row.revoked_at = now
        session.add(row)
        try:
            session.commit()
        except OperationalError:  # a read-only transaction on a busy SQLite: expired all the same
            session.rollback()
        return None
    user = session.get(User, row.user_id)
    if user is None or user.status is not UserStatus.active:
        return None
    if now - row.last_seen_at >= LAST_SEEN_RESOLUTION:
        row.last_seen_at = now
        session.add(row)
        try:
            session.commit()
        except OperationalError:  # best effort in a read-only (deferred) transaction on a busy SQLite
            session.rollback()
    approval = None
    if user.role is Role.professional:
        approval = session.exec(
            select(ProfessionalProfile.approval_status).where(ProfessionalProfile.user_id == user.id)
        ).first()
    assert user.id is not None
    actor = Actor(id=user.id, role=user.role, full_name=user.full_name, approval=approval,
                  verified=user.verified, language=user.language)
    ACTORS.put(key, Entry(actor, row.expires_at, row.last_seen_at, time.monotonic()), since=since)
    return actor


# (what a User-Agent contains, the product's name): browsers and systems are named as they name themselves.
BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser", "Samsung Internet"), ("Firefox/", "Firefox"),
            ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def device_label(user_agent: str) -> str:
    """"Chrome on Android" from a User-Agent (what a person recognises; the raw string is not kept).
    Stored in English; `device_said` says a stored label in the reader's language."""
    ua = (user_agent or "")[:500]
    if not ua:
        return ""
    browser = next((name for key, name in BROWSERS if key in ua), "")
    system = next((name for key, name in SYSTEMS if key in ua), "")
    if browser and system:
        return msg("svc_account.device_on", browser=browser, system=system)
    return browser or system or ua[:60]


def device_said(label: str) -> str:
    """A stored device label as a message: "Chrome on Android" in the reader's words, "" as
    "Unknown device"; anything else (a bare name, a cut User-Agent) as stored."""
    if not label:
        return msg("svc_account.unknown_device")
    for _, browser in BROWSERS:
        system = label.removeprefix(f"{browser} on ") if label.startswith(f"{browser} on ") else ""
        if system in {name for _, name in SYSTEMS}:
            return msg("svc_account.device_on", browser=browser, system=system)
    return label


def _idle() -> timedelta:
    return timedelta(minutes=get_settings().session_idle_minutes)
