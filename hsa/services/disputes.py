"""Disputes: a customer reports a problem with a completed job, the professional answers, an admin
decides (no action, a refund through the gateway and the ledger, a strike, or both).

The moves, who makes them and who is told are declared in `process/disputes_declared.py`. One
dispute per booking (a unique index), within 7 days of completion; opening again returns the same
dispute (safe to repeat); every move is audited and notifies the other side; a dispute opens the
booking's chat to support (`chat.admin_may_read`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from hsa.i18n import DEFAULT, LANGUAGES
from hsa.i18n.text import Filled, Localized, msg, say
from hsa.models import (
    Dispute,
    DisputeOutcome,
    DisputeReason,
    DisputeStatus,
    NotificationKind,
    Payment,
    PaymentStatus,
    RequestStatus,
    ServiceRequest,
    Strike,
    User,
    utcnow,
)
from hsa.services import audit, dispute_photos, inputs, notifications, quality
from hsa.services.actors import Actor
from hsa.services.errors import InvalidTransition, NotFound, ValidationFailed
from hsa.services.money import refunds
from hsa.services.permissions import require_actor, require_admin
from hsa.services.process.disputes_declared import MOVES, OUTCOMES, REASONS, WINDOW, DisputeMove
from hsa.services.scheduling import local_label
from hsa.services.views import rupees


@dataclass(frozen=True)
class DisputeView:
    id: int
    request_id: int
    status: str
    reason: str
    details: str
    answer: str
    outcome: str       # in words, with the refund ("a refund of ₹200")
    note: str
    customer: str
    professional: str
    opened: str
    paid: str          # what was paid online and not refunded yet (admins decide a refund within it)
    photo_url: str = ""  # the customer's photo, a signed link ("" without one)


def may_open(req: ServiceRequest, now: datetime) -> bool:
    """A completed (or closed) job, within 7 days of its completion."""
    return (req.status in (RequestStatus.completed, RequestStatus.closed) and req.completed_at is not None
            and now <= req.completed_at + WINDOW and req.professional_id is not None)


def _tell(session: Session, move: DisputeMove, req: ServiceRequest, d: Dispute, now: datetime) -> None:
    words = notifications.words_for(session, req) | {
        "reason": _reason_words(d), "outcome": _outcome_words(d), "note": d.decision_note}
    title, body = Filled(move.title, words), Filled(move.body, words)  # said per reader (declared English)
    to = {"customer": [d.customer_id], "professional": [d.professional_id],
          "admins": notifications.admin_ids(session)}
    for who in move.tell:
        for user_id in to[who]:
            notifications.notify(session, user_id=user_id, kind=NotificationKind.booking, title=title,
                                 body=body, request_id=req.id, now=now)  # (notify trims the space an empty note leaves)


def _reason_words(d: Dispute) -> Localized:
    """The reason inside a sentence: lower-case in English ("…: something was damaged"), the
    reason's own words in the other languages (by its English text in the catalog)."""
    english = REASONS[d.reason]
    return Localized(english.lower(), {lang: say(english, lang) for lang in LANGUAGES if lang != DEFAULT})


def _outcome_words(d: Dispute) -> str:
    if d.outcome is None:
        return ""
    if d.refund_paise and d.outcome in (DisputeOutcome.refund, DisputeOutcome.refund_and_strike):
        key = "svc_booking.outcome_refund_of" if d.outcome is DisputeOutcome.refund \
            else "svc_booking.outcome_refund_of_and_strike"
        return msg(key, amount=rupees(d.refund_paise))
    return OUTCOMES[d.outcome]


def _request(session: Session, request_id: int) -> ServiceRequest:
    req = session.get(ServiceRequest, request_id)
    if req is None:
        raise NotFound("request")
    return req


def _dispute(session: Session, request_id: int) -> Dispute | None:
    return session.exec(select(Dispute).where(Dispute.request_id == request_id)).first()


def open_dispute(*, session: Session, actor: Actor | None, request_id: int, data: dict,
                 now: datetime | None = None) -> int:
    """The customer reports a problem; returns the dispute's id (the existing one when repeated)."""
    actor = require_actor(actor)
    now = now or utcnow()
    req = _request(session, request_id)
    if req.customer_id != actor.id:
        raise NotFound("request")
    if (existing := _dispute(session, request_id)) is not None:
        return existing.id or 0
    if not may_open(req, now):
        raise InvalidTransition(msg("svc_booking.dispute_window"))
    reason = inputs.choice(DisputeReason, data.get("reason"), "reason", msg("svc_booking.dispute_choose_reason"))
    details = inputs.text(data.get("details"), "details", 10, 1000, msg("svc_booking.dispute_details"),
                          one_line=False)
    assert req.professional_id is not None
    d = Dispute(request_id=req.id or 0, customer_id=actor.id, professional_id=req.professional_id, reason=reason,
                details=details, created_at=now)
    session.add(d)
    try:
        session.flush()
    except IntegrityError:  # a second tab won the race: the same answer as a repeat
        session.rollback()
        return _dispute(session, request_id).id or 0  # type: ignore[union-attr]
    _tell(session, MOVES["open"], req, d, now)
    audit.record(session=session, actor_id=actor.id, action="dispute.opened", target_type="request",
                 target_id=req.id, reason=reason.value)
    session.commit()
    return d.id or 0


def answer(*, session: Session, actor: Actor | None, request_id: int, data: dict, now: datetime | None = None) -> None:
    """The job's professional gives their side (once; the admin sees both)."""
    actor = require_actor(actor)
    now = now or utcnow()
    req = _request(session, request_id)
    d = _dispute(session, request_id)
    if d is None or d.professional_id != actor.id:
        raise NotFound("request")
    if d.status is not DisputeStatus.open:
        if d.answer and d.answer == str(data.get("answer", "")).strip():
            return  # a repeat of the same answer
        raise InvalidTransition(msg("svc_booking.dispute_answered"))
    text = inputs.text(data.get("answer"), "answer", 5, 1000, msg("svc_booking.dispute_answer"),
                       one_line=False)
    d.answer, d.answered_at, d.status = text, now, MOVES["answer"].target
    session.add(d)
    _tell(session, MOVES["answer"], req, d, now)
    audit.record(session=session, actor_id=actor.id, action="dispute.answered", target_type="request",
                 target_id=req.id)
    session.commit()


def decide(*, session: Session, actor: Actor | None, request_id: int, data: dict, now: datetime | None = None,
           idempotency_key: str | None = None) -> None:
    """Support decides. A refund goes through the gateway and the journal (`refunds.refund_by_admin`,
    which also checks it is within what was paid online); a strike is recorded for quality control."""
    actor = require_admin(actor)
    now = now or utcnow()
    req = _request(session, request_id)
    d = _dispute(session, request_id)
    if d is None:
        raise NotFound("dispute")
    if d.status not in MOVES["decide"].sources:
        raise InvalidTransition(msg("svc_booking.dispute_decided"))
    outcome = inputs.choice(DisputeOutcome, data.get("outcome"), "outcome", msg("svc_booking.dispute_choose_decision"))
    note = inputs.text(data.get("note"), "note", 5, 500,
                       msg("svc_booking.dispute_note"))
    refunded = 0
    if outcome in (DisputeOutcome.refund, DisputeOutcome.refund_and_strike):
        try:
            refunded = refunds.refund_by_admin(session=session, actor=actor, request_id=request_id,
                                               amount_rupees=data.get("refund_rupees", ""), reason=note, now=now,
                                               idempotency_key=idempotency_key)
        except ValidationFailed as exc:  # the refund's fields are this form's
            named = {"amount_rupees": "refund_rupees", "reason": "note"}
            raise ValidationFailed({named.get(k, k): v for k, v in exc.fields.items()}) from exc
        d = _dispute(session, request_id)  # the refund committed; read the row again
        assert d is not None
    if outcome in (DisputeOutcome.strike, DisputeOutcome.refund_and_strike):
        session.add(Strike(professional_id=d.professional_id, request_id=request_id, reason=f"Dispute: {note}"[:300],
                           created_at=now))
    d.status = MOVES["decide"].target  # decided before the standing is assessed: its review counts again
    session.add(d)
    quality.assess_professional(session, d.professional_id, now=now)
    d.outcome, d.refund_paise, d.decision_note = outcome, refunded, note
    d.decided_by_id, d.decided_at, d.status = actor.id, now, MOVES["decide"].target
    session.add(d)
    _tell(session, MOVES["decide"], req, d, now)
    audit.record(session=session, actor_id=actor.id, action="dispute.decided", target_type="request",
                 target_id=request_id, outcome=outcome.value, refund_paise=refunded)
    session.commit()


def views_for(session: Session, actor: Actor, request_ids: list[int]) -> dict[int, DisputeView]:
    """The disputes of these bookings, for their parties (and admins): one query."""
    rows = list(session.exec(select(Dispute).where(col(Dispute.request_id).in_(request_ids))))
    rows = [d for d in rows if actor.is_admin or actor.id in (d.customer_id, d.professional_id)]
    return {d.request_id: _view(d) for d in rows}


def _view(d: Dispute, names: dict[int, str] | None = None, paid: int = 0) -> DisputeView:
    names = names or {}
    return DisputeView(id=d.id or 0, request_id=d.request_id, status=d.status.value, reason=REASONS[d.reason],
                       details=d.details, answer=d.answer, outcome=_outcome_words(d), note=d.decision_note,
                       customer=names.get(d.customer_id, ""), professional=names.get(d.professional_id, ""),
                       opened=local_label(d.created_at), paid=rupees(paid) if paid else "",
                       photo_url=dispute_photos.link(d))


def queue(*, session: Session, actor: Actor | None, limit: int = 50) -> list[DisputeView]:
    """Open and answered disputes, oldest first, with both names and what is left to refund."""
    require_admin(actor)
    rows = list(session.exec(select(Dispute).where(col(Dispute.status).in_(MOVES["decide"].sources))
                             .order_by(col(Dispute.id)).limit(limit)))
    names = dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(
        {i for d in rows for i in (d.customer_id, d.professional_id)}))).all())
    room: dict[int, int] = {}
    for p in session.exec(select(Payment).where(col(Payment.request_id).in_([d.request_id for d in rows]),
                                                Payment.status == PaymentStatus.paid, Payment.provider == "razorpay")):
        room[p.request_id] = room.get(p.request_id, 0) + p.amount_paise - p.refunded_paise
    return [_view(d, names, room.get(d.request_id, 0)) for d in rows]


__all__ = ["DisputeView", "answer", "decide", "may_open", "open_dispute", "queue", "views_for"]
