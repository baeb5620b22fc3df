"""Effect functions of the core transitions (book → accept → start → complete → pay → close).

Each takes the `Move` the engine built, inside its transaction: it reads the form (`data`),
changes the request, and adds the words its notices use. Status and timestamps are set by the
engine from the declaration; a refused move raises and the engine rolls everything back.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from hsa.i18n.text import Localized, msg
from hsa.models import (
    ACTIVE,
    ProfessionalProfile,
    RequestStatus,
    Review,
    Service,
    ServiceRequest,
)
from hsa.services import changes, notifications, quality, scheduling, slots
from hsa.services.errors import Conflict, ValidationFailed
from hsa.services.local_words import when_said
from hsa.services.process.context import Move
from hsa.services.scheduling import open_lead
from hsa.services.schemas import BookingEdit, CancelForm, DeclineForm, ReviewForm, parse

ALREADY_TAKEN = msg("svc_booking.already_taken")
NO_LONGER_OPEN = msg("svc_booking.no_longer_open")


def unaccepted_slot(day: str, at: str, minutes: int, now: datetime) -> datetime:
    """`checked_slot`, and far enough ahead for a professional to accept it before it expires."""
    start = checked_slot(day, at, minutes, now)
    lead = open_lead()
    if start < now + lead:
        hours, rest = divmod(int(lead.total_seconds() // 60), 60)
        ahead = (msg("svc_booking.hours_min", hours=hours, minutes=rest) if rest else
                 msg("svc_booking.hours_only", hours=hours)) if hours else msg("svc_booking.minutes_only", minutes=rest)
        raise ValidationFailed({"time": msg("svc_booking.time_lead", ahead=ahead)})
    return start


NOBODY_FREE = msg("svc_booking.nobody_free")
PRO_NOT_FREE = msg("svc_booking.pro_not_free")


def require_free_slot(session: Session, *, service: Service, pincode: str, start: datetime, now: datetime,
                      professional_id: int | None) -> None:
    """Refuse, beside the time, a booking nobody eligible (or not the chosen professional) can take."""
    if not slots.is_bookable(session, service_id=service.id or 0, pincode=pincode, start=start,
                             duration=service.duration_minutes, now=now, professional_id=professional_id):
        raise ValidationFailed({"time": PRO_NOT_FREE if professional_id else NOBODY_FREE})


def checked_slot(day: str, at: str, minutes: int, now: datetime) -> datetime:
    """A bookable slot from the form's IST date and time, or the message beside the right field."""
    try:
        start = scheduling.parse_slot(day, at)
    except ValueError as exc:
        field_name = "day" if "date" in str(exc) else "time"
        raise ValidationFailed({field_name: exc.args[0] if exc.args else str(exc)}) from exc
    problem = scheduling.slot_problem(start, minutes, now)
    if problem:
        raise ValidationFailed({"time" if "start time" in problem else "day": problem})
    return start


def service_of(session: Session, req: ServiceRequest) -> Service:
    service = session.get(Service, req.service_id)
    assert service is not None
    return service


def clashes(session: Session, pro_id: int, req: ServiceRequest, start: datetime, minutes: int) -> bool:
    """Does the professional have another active job within their buffer of [start, start + minutes)?"""
    buffer = session.exec(select(ProfessionalProfile.buffer_minutes)
                          .where(ProfessionalProfile.user_id == pro_id)).first() or 0
    for other_start, other_minutes in session.exec(
        select(ServiceRequest.scheduled_at, Service.duration_minutes)
        .join(Service, col(Service.id) == ServiceRequest.service_id)
        .where(ServiceRequest.professional_id == pro_id, col(ServiceRequest.status).in_(ACTIVE),
               ServiceRequest.id != req.id)
    ):
        if scheduling.overlaps(start, minutes + buffer, other_start, other_minutes + buffer):
            return True
    return False


def edit(m: Move) -> None:
    form = parse(BookingEdit, m.data)
    service = service_of(m.session, m.req)
    m.req.scheduled_at = unaccepted_slot(form.day, form.time, service.duration_minutes, m.now)
    require_free_slot(m.session, service=service, pincode=m.req.pincode, start=m.req.scheduled_at, now=m.now,
                      professional_id=m.req.preferred_professional_id)
    m.req.remarks = form.remarks
    m.words["when"] = when_said(m.req.scheduled_at)


def cancel(m: Move) -> None:
    form = parse(CancelForm, m.data)
    m.req.cancel_reason, m.req.cancelled_by_id = form.reason, m.actor.id or None
    notifications.withdraw_offers(m.session, request_id=m.req.id, now=m.now)
    m.words["why"] = msg("svc_notices.why_reason", reason=form.reason)


def accept(m: Move) -> None:
    """First accept wins: a conditional UPDATE moves it out of 'requested' exactly once."""
    session, req, actor = m.session, m.req, m.actor
    # Serialise this professional's accepts (PostgreSQL row lock; SQLite already holds the write lock).
    session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == actor.id).with_for_update())
    if clashes(session, actor.id, req, req.scheduled_at, service_of(session, req).duration_minutes):
        raise Conflict(msg("svc_booking.already_have_job"))
    won = session.exec(
        update(ServiceRequest)
        .where(col(ServiceRequest.id) == req.id, col(ServiceRequest.status) == RequestStatus.requested,
               col(ServiceRequest.professional_id).is_(None))
        .values(status=RequestStatus.assigned, professional_id=actor.id, assigned_at=m.now, updated_at=m.now,
                start_code=new_code(), start_code_tries=0, reschedule_to=None, reschedule_by_id=None)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if won != 1:
        session.rollback()
        raise Conflict(ALREADY_TAKEN)
    session.refresh(req)
    changes.touch(session, changes.pool(req.service_id), changes.user(actor.id), changes.user(req.customer_id))
    notifications.withdraw_offers(session, request_id=req.id, now=m.now, keep=actor.id)  # the offer is gone
    m.words["pro"] = notifications.first_name(actor.full_name)


def new_code() -> str:
    """The customer's 4-digit handshake code (uniform, from the OS's CSPRNG)."""
    return f"{secrets.randbelow(10_000):04d}"


def decline(m: Move) -> None:
    form = parse(DeclineForm, m.data)
    m.req.preferred_professional_id = None  # back to the open pool
    m.req.decline_reason, m.req.declined_by_id = form.reason, m.actor.id
    m.words["pro"] = notifications.first_name(m.actor.full_name)


def reopen_to_nearby(m: Move) -> None:
    """The declined job is offered to the nearest other professionals."""
    m.session.flush()
    notifications.notify_nearby(m.session, req=m.req, now=m.now, exclude={m.actor.id})


def review(m: Move) -> None:
    """The review and the professional's rating aggregate move in one transaction."""
    form = parse(ReviewForm, m.data)
    req = m.req
    assert req.id is not None and req.professional_id is not None
    comment = form.comment.strip()
    m.session.add(Review(request_id=req.id, customer_id=m.actor.id, professional_id=req.professional_id,
                         rating=form.rating, comment=comment, created_at=m.now))
    m.session.exec(
        update(ProfessionalProfile).where(col(ProfessionalProfile.user_id) == req.professional_id)
        .values(rating_count=ProfessionalProfile.rating_count + 1,
                rating_sum=ProfessionalProfile.rating_sum + form.rating)
        .execution_options(synchronize_session="fetch")
    )
    # the customer's own words, quoted the same way in every language (never looked up in the catalog)
    m.words.update(rating=str(form.rating), said=Localized(f" “{comment}”", {}) if comment else "")
    quality.assess_professional(m.session, req.professional_id, now=m.now)  # a low rating may warn or pause
