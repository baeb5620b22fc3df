"""Settling what an account has in flight when an admin blocks or deletes it.

A closed account must not leave work behind that somebody else acts on: a professional's
accepted or addressed jobs go back to the open pool, and a customer's live requests are
withdrawn so no professional sets off for (or accepts) a booking nobody will answer.
Both happen inside the admin's transaction: the caller commits, and a failure later in the
block or delete rolls the settling back with it. Both live here so the two rules stay
side by side (and out of `admin.py`, which is about the console's use cases).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from hsa.models import LIVE, RequestStatus, Role, ServiceRequest, User
from hsa.services import changes, notifications, tracking

RETURNED_TO_POOL = "Your professional is no longer available; the job is open to other professionals."
WITHDRAWN = "Withdrawn: the customer's account was closed by HomeServe."


@dataclass(frozen=True)
class Settled:
    """What settling changed, for the audit row and the admin's notice."""

    jobs_returned: int = 0        # a professional's accepted jobs now open again
    requests_withdrawn: int = 0   # a customer's live requests now cancelled


def settle_account(session: Session, *, user: User, admin_id: int, now: datetime) -> Settled:
    """Settle `user`'s work in flight by role; the caller commits (admins have no bookings)."""
    if user.role is Role.professional:
        return Settled(jobs_returned=return_jobs(session, user=user, now=now))
    if user.role is Role.customer:
        return Settled(requests_withdrawn=withdraw_requests(session, user=user, admin_id=admin_id, now=now))
    return Settled()


def return_jobs(session: Session, *, user: User, now: datetime) -> int:
    """A professional's accepted (not started) jobs go back to the open pool; the customer sees why."""
    affected = list(session.exec(select(ServiceRequest).where(
        or_(ServiceRequest.professional_id == user.id, ServiceRequest.preferred_professional_id == user.id),
        col(ServiceRequest.status).in_((RequestStatus.assigned, RequestStatus.requested)))))
    changes.touch(session, changes.ALL_POOLS, changes.user(user.id), *(changes.user(r.customer_id) for r in affected),
                  *(changes.track(r.id) for r in affected))
    assert user.id is not None
    tracking.forget_professional(session, user.id)  # privacy: their positions go with their jobs
    released = session.exec(
        update(ServiceRequest)
        .where(ServiceRequest.professional_id == user.id, ServiceRequest.status == RequestStatus.assigned)  # type: ignore[arg-type]
        .values(status=RequestStatus.requested, professional_id=None, assigned_at=None, updated_at=now,
                decline_reason=RETURNED_TO_POOL, declined_by_id=user.id, reschedule_to=None, reschedule_by_id=None)
        .execution_options(synchronize_session="fetch")
    ).rowcount or 0
    session.exec(
        update(ServiceRequest)
        .where(ServiceRequest.preferred_professional_id == user.id,  # type: ignore[arg-type]
               ServiceRequest.status == RequestStatus.requested)
        .values(preferred_professional_id=None, updated_at=now, decline_reason=RETURNED_TO_POOL)
        .execution_options(synchronize_session="fetch")
    )
    # `affected` was refreshed by the synchronised UPDATEs: every one is now an open request
    notifications.jobs_returned(session, requests=affected, pro_id=user.id, now=now)
    return int(released)


def withdraw_requests(session: Session, *, user: User, admin_id: int, now: datetime) -> int:
    """Cancel a customer's live requests as an admin cancel would; their professional is told.

    Rows are locked and changed through the ORM (a customer has a handful), so the flush
    listener publishes the pool, the professionals' boards and the tracking pages, and an
    accept racing this on PostgreSQL either finishes first (and its professional is told)
    or finds the request no longer open.
    """
    live = list(session.exec(select(ServiceRequest).where(
        ServiceRequest.customer_id == user.id, col(ServiceRequest.status).in_(LIVE)).with_for_update()))
    for req in live:
        req.status, req.cancel_reason = RequestStatus.cancelled, WITHDRAWN
        req.cancelled_by_id, req.cancelled_at, req.updated_at = admin_id, now, now
        session.add(req)
        tracking.forget(session, req.id)  # privacy: a position is kept only while the job is live
    notifications.requests_withdrawn(session, requests=live, now=now)
    return len(live)


__all__ = ["LIVE", "RETURNED_TO_POOL", "WITHDRAWN", "Settled", "return_jobs", "settle_account",
           "withdraw_requests"]
