"""Each booking's private thread between its customer and its professional.

Rules (issue #17): open from acceptance until 7 days after the booking closed or was cancelled;
only the two parties write and read it; messages reach the other party live (topic
``chat:<request id>``) and show when they were read; phone numbers and emails typed before the
job is completed are masked (`contact_mask`), as platforms do to keep payment on-platform; an
admin reads a thread only when a report or dispute is open on its booking, and every reading is
audited. Sending is throttled per person and safe to repeat with an idempotency key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from hsa.i18n import LANGUAGES
from hsa.i18n.text import Joined, msg, say
from hsa.models import ChatMessage, Dispute, Report, RequestStatus, Service, ServiceRequest, User, utcnow
from hsa.models.notification import Notification, NotificationKind
from hsa.services import audit, changes, idempotency, notifications, throttle
from hsa.services.actors import Actor
from hsa.services.contact_mask import mask, said
from hsa.services.errors import Forbidden, NotFound, ValidationFailed
from hsa.services.local_words import when_said
from hsa.services.permissions import require_actor
from hsa.services.service_names import name_of

OPEN_AFTER_CLOSING = timedelta(days=7)
MASKED_WHILE = (RequestStatus.assigned, RequestStatus.in_progress)  # before the work is done
SEND_LIMIT = "20/minute;300/day"
PAGE = 100  # the newest messages shown; a booking's thread is short
# The notice's title (one unread per thread at a time): said in the recipient's language, so the
# unread one is found by its title in any language (`_new_message_titles`).
NEW_MESSAGE = msg("svc_booking.chat_new_message")
CLOSED = msg("svc_booking.chat_closed")


@dataclass(frozen=True)
class MessageView:
    id: int
    mine: bool
    sender: str   # first name, or "HomeServe support" never (admins do not write here)
    body: str
    when: str
    read: bool    # the other party has read it (shown under one's own messages)
    masked: bool


@dataclass(frozen=True)
class ThreadView:
    request_id: int
    title: str          # "Plumbing · Sat 5 Dec, 10:00"
    other_name: str     # the other party's first name ("" for an admin reading)
    writable: bool      # open, and the reader is a party
    messages: list[MessageView]


def _new_message_titles() -> list[str]:
    """"New message" as each language says it (how the stored notice is found, whoever reads it)."""
    return sorted({say(NEW_MESSAGE, lang) for lang in LANGUAGES})


def _ended_at(req: ServiceRequest) -> datetime | None:
    if req.status is RequestStatus.closed:
        return req.closed_at
    if req.status is RequestStatus.cancelled:
        return req.cancelled_at
    return None


def is_open(req: ServiceRequest, now: datetime) -> bool:
    """From acceptance (a professional is on it) until 7 days after it ended."""
    if req.professional_id is None or req.assigned_at is None:
        return False
    ended = _ended_at(req)
    return ended is None or now <= ended + OPEN_AFTER_CLOSING


def _request(session: Session, request_id: int) -> ServiceRequest:
    req = session.get(ServiceRequest, request_id)
    if req is None:
        raise NotFound("request")
    return req


def _party(actor: Actor, req: ServiceRequest) -> bool:
    return actor.id in (req.customer_id, req.professional_id) and req.professional_id is not None


def admin_may_read(session: Session, request_id: int) -> bool:
    """An admin reads a thread only when someone asked for help on that booking (a report or a dispute)."""
    return (session.exec(select(Report.id).where(Report.request_id == request_id)).first() is not None
            or session.exec(select(Dispute.id).where(Dispute.request_id == request_id)).first() is not None)


def _require_reader(session: Session, actor: Actor, req: ServiceRequest) -> None:
    if _party(actor, req):
        return
    if actor.is_admin and req.id is not None and admin_may_read(session, req.id):
        return
    raise NotFound("request")  # strangers (and admins without a report) learn nothing


def thread(*, session: Session, actor: Actor | None, request_id: int, now: datetime | None = None) -> ThreadView:
    """The thread as the reader sees it (read-only: `mark_read` records reading)."""
    actor = require_actor(actor)
    now = now or utcnow()
    req = _request(session, request_id)
    _require_reader(session, actor, req)
    rows = list(session.exec(select(ChatMessage).where(ChatMessage.request_id == req.id)
                             .order_by(col(ChatMessage.id).desc()).limit(PAGE)))[::-1]
    names = dict(session.exec(select(User.id, User.full_name).where(
        col(User.id).in_([req.customer_id, req.professional_id]))).all())
    other_id = req.professional_id if actor.id == req.customer_id else req.customer_id
    service = session.get(Service, req.service_id)
    name = name_of(service) if service else msg("svc_booking.chat_booking")
    return ThreadView(
        request_id=req.id or 0, title=Joined(name, " · ", when_said(req.scheduled_at)),
        other_name=notifications.first_name(names.get(other_id, "")) if _party(actor, req) else "",
        writable=_party(actor, req) and is_open(req, now),
        messages=[MessageView(id=m.id or 0, mine=m.sender_id == actor.id,
                              sender=notifications.first_name(names.get(m.sender_id, "")),
                              body=said(m.body) if m.masked else m.body,
                              when=when_said(m.created_at), read=m.read_at is not None, masked=m.masked)
                  for m in rows])


def read_as_admin(*, session: Session, actor: Actor | None, request_id: int, now: datetime | None = None
                  ) -> ThreadView:
    """The admin's view of a reported booking's thread; each opening is audited."""
    actor = require_actor(actor)
    if not actor.is_admin:
        raise Forbidden()
    view = thread(session=session, actor=actor, request_id=request_id, now=now)
    audit.record(session=session, actor_id=actor.id, action="chat.read_by_admin", target_type="request",
                 target_id=request_id)
    session.commit()
    return view


def mark_read(*, session: Session, actor: Actor | None, request_id: int, now: datetime | None = None) -> int:
    """The reader has seen every message the other party sent (their "Seen" appears live)."""
    actor = require_actor(actor)
    req = _request(session, request_id)
    if not _party(actor, req):
        return 0  # an admin reading leaves no trace in the parties' read state
    result = session.exec(update(ChatMessage).where(  # type: ignore[call-overload]
        ChatMessage.request_id == req.id, ChatMessage.sender_id != actor.id,
        col(ChatMessage.read_at).is_(None)).values(read_at=now or utcnow()))
    if result.rowcount:
        changes.touch(session, changes.chat(req.id))
        session.exec(update(Notification).where(  # type: ignore[call-overload]
            Notification.user_id == actor.id, Notification.request_id == req.id,
            col(Notification.title).in_(_new_message_titles()), col(Notification.read_at).is_(None))
            .values(read_at=now or utcnow()))
    session.commit()
    return result.rowcount or 0


def send(*, session: Session, actor: Actor | None, request_id: int, body: str, idempotency_key: str | None = None,
         now: datetime | None = None) -> int:
    """Post a message; returns its id (the first one's, when repeated with the same key)."""
    actor = require_actor(actor)
    now = now or utcnow()
    key = idempotency.clean(idempotency_key)
    req = _request(session, request_id)
    if not _party(actor, req):
        raise NotFound("request")
    if (done := idempotency.replay(session, actor, f"chat.send:{req.id}", key, now=now)) is not None:
        return int(done)
    text = " ".join(str(body or "").split()) if "\n" not in str(body or "") else str(body).strip()
    if not text:
        raise ValidationFailed({"body": msg("svc_booking.chat_empty")})
    if len(text) > 1000:
        raise ValidationFailed({"body": msg("svc_booking.chat_too_long")})
    if not is_open(req, now):
        raise ValidationFailed({"body": CLOSED}, CLOSED)
    wait = throttle.take(SEND_LIMIT, "chat-send", str(actor.id))
    if wait > 0:
        raise ValidationFailed({"body": msg("svc_booking.chat_busy", wait=throttle.in_words(wait))})
    masked = False
    if req.status in MASKED_WHILE:
        text, masked = mask(text)
    message = ChatMessage(request_id=req.id or 0, sender_id=actor.id, body=text, masked=masked, created_at=now)
    session.add(message)
    session.flush()
    _tell_other(session, actor, req, now)
    idempotency.remember(session, actor, f"chat.send:{req.id}", key, message.id, now=now)
    session.commit()
    return message.id or 0


def _tell_other(session: Session, actor: Actor, req: ServiceRequest, now: datetime) -> None:
    """One unread "New message" notice per thread at a time (a chatty thread is not a dozen notices)."""
    other = req.professional_id if actor.id == req.customer_id else req.customer_id
    pending = session.exec(select(Notification.id).where(
        Notification.user_id == other, Notification.request_id == req.id,
        col(Notification.title).in_(_new_message_titles()), col(Notification.read_at).is_(None))).first()
    if pending is None:
        notifications.notify(session, user_id=other, kind=NotificationKind.booking, title=NEW_MESSAGE,
                             body=msg("svc_booking.chat_new_message_body",
                                      name=notifications.first_name(actor.full_name)),
                             request_id=req.id, now=now)


__all__ = ["CLOSED", "MessageView", "NEW_MESSAGE", "ThreadView", "admin_may_read", "is_open", "mark_read",
           "read_as_admin", "send", "thread"]
