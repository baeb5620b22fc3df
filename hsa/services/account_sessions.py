""""Where you're signed in": a person's own live sessions, and ending one of them.

Why: a professional's phone gets lost or shared; they must be able to see every device signed
in to their account (browser and system, when it signed in and was last seen) and sign one out
without changing the password. Only the actor's own sessions are listed or revoked; another
user's session id answers "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from hsa.models import AuthSession, utcnow
from hsa.services import audit, changes, sessions
from hsa.services.actors import Actor
from hsa.services.errors import NotFound
from hsa.services.local_words import when_said
from hsa.services.permissions import require_actor


@dataclass(frozen=True)
class SessionView:
    id: int
    device: str       # "Chrome on Android" (a message: said in the reader's language)
    signed_in: str    # local time labels (Localized)
    last_seen: str
    current: bool     # the browser asking


def list_own(*, session: Session, actor: Actor | None, current_token: str = "",
             now: datetime | None = None) -> list[SessionView]:
    """The actor's live sessions, this browser first, then most recently seen."""
    actor = require_actor(actor)
    now = now or utcnow()
    mine = sessions.hash_token(current_token) if current_token else ""
    rows = session.exec(select(AuthSession).where(
        AuthSession.user_id == actor.id, col(AuthSession.revoked_at).is_(None), AuthSession.expires_at > now)
        .order_by(col(AuthSession.last_seen_at).desc()).limit(50)).all()
    views = [SessionView(id=r.id or 0, device=sessions.device_said(r.device), signed_in=when_said(r.created_at),
                         last_seen=when_said(r.last_seen_at), current=r.token_hash == mine) for r in rows]
    return sorted(views, key=lambda v: not v.current)


def revoke_own(*, session: Session, actor: Actor | None, session_id: int, now: datetime | None = None) -> None:
    """Sign one of the actor's devices out (its open tabs are told at once, via the auth topic).
    Revoking an already-ended one is a no-op (safe to repeat)."""
    actor = require_actor(actor)
    row = session.get(AuthSession, session_id)
    if row is None or row.user_id != actor.id:
        raise NotFound("session")
    if row.revoked_at is None:
        row.revoked_at = now or utcnow()
        session.add(row)
        changes.touch(session, changes.auth(actor.id), changes.user(actor.id))  # its open pages sign out now
        audit.record(session=session, actor_id=actor.id, action="user.session_revoked", target_type="session",
                     target_id=session_id, device=row.device)
    session.commit()


__all__ = ["SessionView", "list_own", "revoke_own"]
