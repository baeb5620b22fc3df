"""What a committed transaction changed, as *topics*, so open pages refresh only when they must.

Services know nothing about browsers. A flush listener derives topics from the rows a
transaction writes (a request → its customer, its professionals, its service's open pool and
the admin views; a notification → its user; a position → the request's tracking), services
add topics for bulk UPDATEs the ORM cannot see (`touch`), and after COMMIT the topics are
handed to whoever subscribed — the Reflex layer pushes to the tabs that watch them. A rolled
back transaction publishes nothing, so a page never refreshes for a change that did not happen.

Topics are plain strings: ``user:<id>``, ``pool:<service id>``, ``pool:*`` (every pool),
``track:<request id>``, ``note:<user id>`` and ``admin``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from hsa.models import (
    AuditLog,
    JobLocation,
    Notification,
    ProfessionalProfile,
    RequestStatus,
    Review,
    ServiceRequest,
    User,
)

log = logging.getLogger(__name__)

ADMIN = "admin"
ALL_POOLS = "pool:*"
_KEY = "hsa_topics"
_publishers: list[Callable[[frozenset[str]], None]] = []


def user(user_id: int | None) -> str | None:
    return f"user:{user_id}" if user_id else None


def note(user_id: int | None) -> str | None:
    """A user's notifications (the bell), apart from `user:` so a new notification does not
    reload a whole page."""
    return f"note:{user_id}" if user_id else None


def pool(service_id: int | None) -> str | None:
    return f"pool:{service_id}" if service_id else None


def track(request_id: int | None) -> str | None:
    return f"track:{request_id}" if request_id else None


def touch(session: Session, *topics: str | None) -> None:
    """Mark topics changed by this transaction (for bulk UPDATEs the flush listener cannot see)."""
    session.info.setdefault(_KEY, set()).update(t for t in topics if t)


def subscribe(publisher: Callable[[frozenset[str]], None]) -> None:
    """Call `publisher(topics)` after every commit that changed something (idempotent)."""
    if publisher not in _publishers:
        _publishers.append(publisher)


def unsubscribe(publisher: Callable[[frozenset[str]], None]) -> None:
    if publisher in _publishers:
        _publishers.remove(publisher)


def _old(obj: object, attr: str) -> list[object]:
    history = inspect(obj).attrs[attr].history
    return list(history.deleted or ())


def _request_topics(req: ServiceRequest) -> Iterable[str | None]:
    yield ADMIN
    yield user(req.customer_id)
    for attr in ("professional_id", "preferred_professional_id"):
        yield user(getattr(req, attr))
        yield from (user(old) for old in _old(req, attr))  # type: ignore[arg-type]
    statuses = [req.status, *_old(req, "status")]
    if RequestStatus.requested in statuses or req.preferred_professional_id is None and _old(
            req, "preferred_professional_id"):
        yield pool(req.service_id)
    if req.status in (RequestStatus.assigned, RequestStatus.in_progress) or _old(req, "status"):
        yield track(req.id)


def topics_for(obj: object) -> Iterable[str | None]:
    """Topics a written row touches; unknown tables touch nothing."""
    if isinstance(obj, ServiceRequest):
        yield from _request_topics(obj)
    elif isinstance(obj, ProfessionalProfile):
        yield from (ADMIN, user(obj.user_id))
    elif isinstance(obj, User):
        yield from (ADMIN, user(obj.id))
    elif isinstance(obj, Review):
        yield from (ADMIN, user(obj.professional_id), user(obj.customer_id))
    elif isinstance(obj, AuditLog):
        yield ADMIN
    elif isinstance(obj, Notification):
        yield note(obj.user_id)
    elif isinstance(obj, JobLocation):
        yield from (track(obj.request_id), user(obj.customer_id))


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context: object) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        touch(session, *topics_for(obj))


@event.listens_for(Session, "after_commit")
def _publish(session: Session) -> None:
    topics = session.info.pop(_KEY, None)
    if not topics:
        return
    for publisher in list(_publishers):
        try:
            publisher(frozenset(topics))
        except Exception:  # a page refresh must never undo or fail a committed booking
            log.exception("change publisher failed")


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_KEY, None)
