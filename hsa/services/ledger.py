"""The `reminders_sent` ledger: claim a once-only thing (a reminder, a timer firing) by inserting its key.

Reminders and timers share it so both are exactly-once on one worker or many: the unique
(kind, key) turns a second claim — from a later run, cron next to the app's loop, or another
worker racing this one — into an IntegrityError, rolled back by the SAVEPOINT around the insert
so the rest of the caller's transaction survives.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from hsa.models import ReminderSent


def claim(session: Session, *, kind: str, key: str, now: datetime, user_id: int | None = None,
          request_id: int | None = None) -> int | None:
    """Insert-if-absent on (kind, key): the row id when this run won the claim, else None."""
    row = ReminderSent(kind=kind, key=key, user_id=user_id, request_id=request_id, created_at=now,
                       attempts=1, last_attempt_at=now)
    try:
        with session.begin_nested():  # SAVEPOINT: a duplicate rolls back only this insert
            session.add(row)
    except IntegrityError:
        return None
    return row.id


def claimed_keys(session: Session, kind: str, keys: list[str]) -> set[str]:
    """Which of `keys` some run already claimed (a cheap pre-check; the claim itself decides)."""
    if not keys:
        return set()
    return set(session.exec(select(ReminderSent.key).where(ReminderSent.kind == kind,
                                                           col(ReminderSent.key).in_(keys))))
