"""A professional flags a review (abusive, or about another job); an admin hides it or keeps it.

Why a queue and not a delete button: the review is the customer's voice, so the professional can
only ask; an admin decides with a note the professional reads. A hidden review stops counting at
once — the rating aggregate search and the home page read (`rating_count`, `rating_sum`) loses it
in the same transaction, and the quality standing is recomputed without it — but the row stays
with the booking for the record. Flagging again while a flag waits returns it unchanged; one
flag per review (a decided flag is final).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session, col, select

from hsa.i18n.text import msg
from hsa.models import NotificationKind, ProfessionalProfile, Review, Role, User, utcnow
from hsa.services import audit, inputs, notifications, quality
from hsa.services.actors import Actor
from hsa.services.errors import Conflict, NotFound
from hsa.services.local_words import when_said
from hsa.services.permissions import require_admin, require_role


class FlagReason(StrEnum):
    abusive = "abusive"
    wrong_job = "wrong_job"


class Moderation(StrEnum):
    hide = "hide"
    keep = "keep"


# Each reason's label: a message (a str whose value is the English label) said in the reader's language.
REASONS = {FlagReason.abusive: msg("svc_admin.flag_reason_abusive"),
           FlagReason.wrong_job: msg("svc_admin.flag_reason_wrong_job")}


@dataclass(frozen=True)
class FlaggedReview:
    id: int
    request_id: int
    rating: int
    comment: str
    customer: str
    professional: str
    reason: str
    note: str
    when: str


def flag_state(review: Review) -> str:
    """'' (not flagged), 'waiting', 'hidden' or 'kept': what the professional's list shows."""
    if review.flagged_at is None:
        return ""
    if review.moderated_at is None:
        return "waiting"
    return "hidden" if review.hidden_at else "kept"


def flag(*, session: Session, actor: Actor | None, review_id: int, reason: str, note: str = "",
         now: datetime | None = None) -> str:
    """The reviewed professional flags a review; admins are told. Returns the flag's state."""
    actor = require_role(actor, Role.professional)
    now = now or utcnow()
    review = session.get(Review, review_id)
    if review is None or review.professional_id != actor.id:
        raise NotFound("review")
    if review.flagged_at is not None:
        return flag_state(review)  # a repeat (double click, second tab) changes nothing
    why = inputs.choice(FlagReason, reason, "reason", msg("svc_admin.flag_choose_reason"))
    review.flag_reason, review.flag_note, review.flagged_at = why.value, " ".join(str(note or "").split())[:500], now
    session.add(review)
    for admin_id in notifications.admin_ids(session):
        notifications.notify(session, user_id=admin_id, kind=NotificationKind.review,
                             title=msg("svc_admin.flag_new_title"),
                             body=msg("svc_admin.flag_new_body", reason=REASONS[why], id=review.request_id),
                             request_id=review.request_id, now=now)
    audit.record(session=session, actor_id=actor.id, action="review.flagged", target_type="review",
                 target_id=review.id, reason=why.value)
    session.commit()
    return "waiting"


def queue(*, session: Session, actor: Actor | None, limit: int = 50) -> list[FlaggedReview]:
    """Flags waiting for a decision, oldest first."""
    require_admin(actor)
    rows = list(session.exec(select(Review).where(col(Review.flagged_at).is_not(None),
                                                  col(Review.moderated_at).is_(None))
                             .order_by(col(Review.flagged_at)).limit(limit)))
    names = dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(
        {i for r in rows for i in (r.customer_id, r.professional_id)}))).all())
    return [FlaggedReview(id=r.id or 0, request_id=r.request_id, rating=r.rating, comment=r.comment,
                          customer=names.get(r.customer_id, ""), professional=names.get(r.professional_id, ""),
                          reason=REASONS.get(FlagReason(r.flag_reason), r.flag_reason), note=r.flag_note,
                          when=when_said(r.flagged_at)) for r in rows if r.flagged_at]


def decide(*, session: Session, actor: Actor | None, review_id: int, decision: str, note: str,
           now: datetime | None = None) -> None:
    """Hide the review (it stops counting) or keep it, with a note the professional reads; audited."""
    actor = require_admin(actor)
    now = now or utcnow()
    choice = inputs.choice(Moderation, decision, "decision", msg("svc_admin.flag_choose_decision"))
    note = inputs.text(note, "note", 5, 500, msg("svc_admin.flag_note"))
    review = session.get(Review, review_id)
    if review is None or review.flagged_at is None:
        raise NotFound("review")
    if review.moderated_at is not None:
        raise Conflict(msg("svc_admin.flag_decided"))
    review.moderated_at, review.moderated_by_id, review.moderation_note = now, actor.id, note
    if choice is Moderation.hide:
        review.hidden_at = now
        session.execute(update(ProfessionalProfile).where(ProfessionalProfile.user_id == review.professional_id,
                                                          ProfessionalProfile.rating_count > 0)
                        .values(rating_count=ProfessionalProfile.rating_count - 1,
                                rating_sum=ProfessionalProfile.rating_sum - review.rating))
    session.add(review)
    title = msg("svc_admin.flag_hidden_title" if choice is Moderation.hide else "svc_admin.flag_kept_title")
    notifications.notify(session, user_id=review.professional_id, kind=NotificationKind.review, title=title,
                         body=note, request_id=review.request_id, now=now)
    action = "review.hidden" if choice is Moderation.hide else "review.kept"
    audit.record(session=session, actor_id=actor.id, action=action, target_type="review", target_id=review.id,
                 note=note[:200])
    session.flush()
    if choice is Moderation.hide:
        quality.assess_professional(session, review.professional_id, now=now)  # without the hidden review
    session.commit()


__all__ = ["REASONS", "FlagReason", "FlaggedReview", "Moderation", "decide", "flag", "flag_state", "queue"]
