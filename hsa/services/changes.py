"""What a committed transaction changed, as *topics*, so open pages refresh only when they must.

Services know nothing about browsers. A flush listener derives topics from the rows a
transaction writes (a request → its customer, its professionals, its service's open pool and
the admin views; a notification → its user; a position → the request's tracking), services
add topics for bulk UPDATEs the ORM cannot see (`touch`), and after COMMIT the topics are
handed to whoever subscribed — the Reflex layer pushes to the tabs that watch them. A rolled
back transaction publishes nothing, so a page never refreshes for a change that did not happen.

Topics are plain strings: ``user:<id>``, ``pool:<service id>``, ``pool:*`` (every pool),
``track:<request id>``, ``chat:<request id>``, ``note:<user id>``, ``auth:<user id>`` (sessions)
and ``admin``.

Across processes: with Redis configured, a process that commits (a web worker, the API, or
`python -m hsa.cli reminders` from cron) registers `publish_to_redis`, which sends the topics of
every commit to one pub/sub channel; each web worker subscribes and refreshes its own tabs
(`hsa.state.push_hub`). This module only publishes: it knows nothing of tabs or Reflex.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from hsa.models import (
    ACTIVE,
    AuditLog,
    AuthSession,
    ChatMessage,
    Dispute,
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


def auth(user_id: int | None) -> str | None:
    """A user's login sessions (logout, revocation): only the actor cache listens, no page reloads."""
    return f"auth:{user_id}" if user_id else None


def chat(request_id: int | None) -> str | None:
    """A booking's thread (new message, read receipts): its chat page refreshes."""
    return f"chat:{request_id}" if request_id else None


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


# ---------------------------------------------------------------- across processes (Redis pub/sub)

CHANNEL = "hsa:live:topics"
REDIS_TIMEOUT_SECONDS = 1.0  # a commit is never held up longer than this by an unreachable Redis
WARN_EVERY_SECONDS = 60.0


def channel(url: str) -> str:
    """The pub/sub channel for `url`. Redis pub/sub ignores database numbers, so the channel
    carries the URL's own (a test server on /5 must not refresh a developer's tabs on /0)."""
    parts = urlsplit(url)
    db = (parse_qs(parts.query).get("db") or [parts.path.strip("/")])[0] or "0"
    return f"{CHANNEL}:{db}"


def encode(topics: Iterable[str]) -> str:
    """One message on the channel: the commit's topics and which process committed (for logs)."""
    return json.dumps({"topics": sorted(topics), "from": f"{socket.gethostname()}:{os.getpid()}"})


def decode(data: str | bytes) -> frozenset[str]:
    """The topics of one message; ValueError for anything that is not one of ours."""
    try:
        topics = json.loads(data)["topics"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"not a topics message: {data!r:.80}") from exc
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        raise ValueError(f"not a topics message: {data!r:.80}")
    return frozenset(topics)


@dataclass(eq=True)
class RedisPublisher:
    """Sends each commit's topics to `channel(url)`. Called in the committing thread, after
    COMMIT, so it is synchronous with short timeouts; an unreachable Redis costs a warning a
    minute, never the booking. Equal by URL, so registering it twice is a no-op."""

    url: str
    _client: Any = field(default=None, compare=False, repr=False)
    _warned_at: float = field(default=0.0, compare=False, repr=False)

    def __call__(self, topics: frozenset[str]) -> None:
        import redis

        if self._client is None:
            self._client = redis.Redis.from_url(self.url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                                                socket_timeout=REDIS_TIMEOUT_SECONDS)
        try:
            self._client.publish(channel(self.url), encode(topics))
        except redis.RedisError as exc:
            if time.monotonic() - self._warned_at > WARN_EVERY_SECONDS:
                self._warned_at = time.monotonic()
                log.warning("live push not published: Redis unreachable (%s); open pages miss this change",
                            type(exc).__name__)


def publish_to_redis(url: str) -> None:
    """Publish every commit of this process to Redis (web workers and the CLI call it at start)."""
    subscribe(RedisPublisher(url))


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
    if req.status in ACTIVE or _old(req, "status"):
        yield track(req.id)


def topics_for(obj: object) -> Iterable[str | None]:
    """Topics a written row touches; unknown tables touch nothing."""
    if isinstance(obj, ServiceRequest):
        yield from _request_topics(obj)
    elif isinstance(obj, ProfessionalProfile):
        yield from (ADMIN, user(obj.user_id))
    elif isinstance(obj, User):
        yield from (ADMIN, user(obj.id))
    elif isinstance(obj, AuthSession):
        if _old(obj, "revoked_at") or obj.revoked_at is not None:  # not the minute-ly last_seen_at
            yield auth(obj.user_id)
    elif isinstance(obj, Review):
        yield from (ADMIN, user(obj.professional_id), user(obj.customer_id))
    elif isinstance(obj, AuditLog):
        yield ADMIN
    elif isinstance(obj, Notification):
        yield note(obj.user_id)
    elif isinstance(obj, JobLocation):
        yield from (track(obj.request_id), user(obj.customer_id))
    elif isinstance(obj, ChatMessage):
        yield chat(obj.request_id)
    elif isinstance(obj, Dispute):
        yield from (ADMIN, user(obj.customer_id), user(obj.professional_id))


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


@event.listens_for(Session, "after_soft_rollback")
def _discard(session: Session, previous_transaction: Any) -> None:
    """A rolled-back transaction publishes nothing; a rolled-back SAVEPOINT (a lost ledger claim)
    keeps what the outer transaction had already written."""
    if not previous_transaction.nested:
        session.info.pop(_KEY, None)
