"""Idempotency keys for state-changing use cases (browser forms and `Idempotency-Key` on the API).

A use case that accepts a key calls `replay` first, inside its own transaction: a key seen
before for the same user and scope returns the stored result and the use case answers as the
first call did, doing nothing. Otherwise it does its work and calls `remember` before its
single commit, so the key and the change land together or not at all (a refused call stores
nothing, and a corrected retry with the same key runs). Two concurrent calls with one key:
on SQLite the write lock serialises them (the second sees the first's row); on PostgreSQL
the unique index makes the loser's commit fail, and `committed` turns that into a replay.

Why in the service layer: the UI, the API and the CLI all call the same use cases, so the
rule lives once; keys are per user, so one user's key can never return another's result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from hsa.i18n.text import msg
from hsa.models import IdempotencyKey, utcnow
from hsa.services.actors import Actor
from hsa.services.errors import ValidationFailed

TTL = timedelta(hours=24)  # as payment APIs do: a retry within a day is still the same call
_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,80}$")
T = TypeVar("T")


def clean(key: object) -> str | None:
    """None for no key; a well-formed key; anything else is refused (it goes into an index)."""
    if key is None or key == "":
        return None
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValidationFailed({"idempotency_key": msg("svc_admin.idempotency_shape")},
                               msg("svc_admin.idempotency_invalid"))
    return key


def replay(session: Session, actor: Actor, scope: str, key: str | None, *,
           now: datetime | None = None) -> str | None:
    """The stored result of an earlier call with this key, or None when this call is new."""
    if key is None:
        return None
    cutoff = (now or utcnow()) - TTL
    row = session.exec(select(IdempotencyKey.result, IdempotencyKey.created_at).where(
        IdempotencyKey.user_id == actor.id, IdempotencyKey.scope == scope[:80], IdempotencyKey.key == key)).first()
    if row is None or row[1] < cutoff:
        return None
    return row[0]


def remember(session: Session, actor: Actor, scope: str, key: str | None, result: object, *,
             now: datetime | None = None) -> None:
    """Store this call's result under its key, in the caller's transaction (before its commit)."""
    if key is None:
        return
    session.exec(delete(IdempotencyKey).where(  # an expired row with the same key must not block this one
        IdempotencyKey.user_id == actor.id, IdempotencyKey.scope == scope[:80], IdempotencyKey.key == key,
        IdempotencyKey.created_at < (now or utcnow()) - TTL))
    session.add(IdempotencyKey(user_id=actor.id, scope=scope[:80], key=key, result=str(result)[:200],
                               created_at=now or utcnow()))


def committed(session: Session, actor: Actor, scope: str, key: str | None, commit: Callable[[], None],
              on_replay: Callable[[str], T]) -> T | None:
    """Run `commit`; when a concurrent call with the same key won the race, return its replay."""
    try:
        commit()
    except IntegrityError:
        session.rollback()
        if key is None:
            raise
        stored = replay(session, actor, scope, key)
        if stored is None:
            raise
        return on_replay(stored)
    return None


def purge(*, session: Session, now: datetime | None = None) -> int:
    """Delete keys past their window (the reminder pass calls this)."""
    result = session.exec(delete(IdempotencyKey).where(IdempotencyKey.created_at < (now or utcnow()) - TTL))
    session.commit()
    return int(result.rowcount or 0)
