"""Effects and conditions of what HomeServe's clock does (see `declaration.TIMERS`, run by `process.timers`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.orm import object_session
from sqlmodel import select

from hsa.i18n.text import msg
from hsa.models import Payment, PaymentStatus, Review, ServiceRequest
from hsa.services import notifications
from hsa.services.process.context import Move
from hsa.settings import get_settings

# Stored on the request in English (a column); said on a page by its English text (`say`).
EXPIRED = msg("svc_booking.expired_reason")
SUGGESTED = 3
STALE = timedelta(days=1)  # a slot this long gone: the customer has moved on, a notice now would be noise


def _joined(names: list[str]) -> str:
    """'Ravi Kumar', 'Ravi Kumar and Sunil Gowda', 'A, B and C' (the 'and' in the reader's language)."""
    return names[0] if len(names) == 1 else msg("svc_notices.names_and", first=", ".join(names[:-1]), last=names[-1])


def suggestion(names: list[str]) -> str:
    """What the customer can do next, naming up to three professionals who could take the job."""
    if not names:
        return msg("svc_notices.suggest_none")
    if len(names) == 1:
        return msg("svc_notices.suggest_one", name=names[0])
    return msg("svc_notices.suggest_many", names=_joined(names))


def expire(m: Move) -> None:
    """Cancel an unaccepted request before its slot, naming professionals who could take it.

    The professional it was addressed to (who never answered) is not suggested again.
    """
    m.req.cancel_reason, m.req.cancelled_by_id = str(EXPIRED), None
    if m.req.scheduled_at < m.now - STALE:  # e.g. the first pass after an upgrade finds old requests
        m.quiet = True
        return
    skip = {m.req.preferred_professional_id} if m.req.preferred_professional_id else set()
    nearby = notifications.nearby_professionals(m.session, m.req, exclude=skip, cap=SUGGESTED)
    m.words["suggest"] = suggestion(notifications.names_of(m.session, [user_id for user_id, _ in nearby]))


def reviewed(req: ServiceRequest, now: datetime | None = None) -> bool:
    """Has the customer already reviewed this job? (No review prompt then.)"""
    session = object_session(req)
    if session is None or req.id is None:
        return False
    return session.execute(select(Review.id).where(Review.request_id == req.id)).first() is not None


def paid_lately(req: ServiceRequest, now: datetime) -> bool:
    """Paid less than a review window ago? Then the customer still gets the whole window to rate
    it: the window counts from the later of completion and payment."""
    session = object_session(req)
    if session is None or req.id is None:
        return False
    window = timedelta(days=get_settings().review_window_days)
    return session.execute(select(Payment.id).where(
        Payment.request_id == req.id, Payment.status == PaymentStatus.paid,
        func.coalesce(Payment.paid_at, Payment.created_at) > now - window)).first() is not None
