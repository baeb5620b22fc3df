"""Booking use cases: create, edit, list, and every lifecycle transition.

Every caller (UI, API, tests) goes through `transition`, which looks the move up in
`lifecycle.TRANSITIONS`, checks role and relation, applies the action's own rules, stamps
its time and commits once. A refused move raises and writes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from hsa.models import (
    Payment,
    PaymentMethod,
    ProfessionalProfile,
    RequestStatus,
    Review,
    Role,
    Service,
    ServiceRequest,
    User,
    UserStatus,
    utcnow,
)
from hsa.observability.metrics import BOOKING_TRANSITIONS
from hsa.services import audit, changes, idempotency, notifications, scheduling, tracking
from hsa.services.actors import Actor
from hsa.services.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from hsa.services.lifecycle import TRANSITIONS, Action, can_apply
from hsa.services.permissions import require_role
from hsa.services.pincodes import distance_km
from hsa.services.request_views import RequestView, build_views, request_facts
from hsa.services.schemas import (
    BookingEdit,
    BookingForm,
    CancelForm,
    CompleteForm,
    DeclineForm,
    PayForm,
    ReviewForm,
    parse,
)
from hsa.settings import get_settings

ALREADY_TAKEN = "Sorry, this job has already been taken by another professional."
ACTIVE = (RequestStatus.assigned, RequestStatus.in_progress)


def _pro_profile(session: Session, actor: Actor | None) -> ProfessionalProfile | None:
    if actor is None or actor.role is not Role.professional:
        return None
    return session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == actor.id)).first()


def _pro_pincode(session: Session, profile: ProfessionalProfile | None) -> str:
    if profile is None:
        return ""
    return session.exec(select(User.pincode).where(User.id == profile.user_id)).first() or ""


def offered_to(actor: Actor, req: ServiceRequest, profile: ProfessionalProfile, pro_pincode: str) -> bool:
    """Was this job put in front of this approved professional? Addressed to them (or declined by
    them), or open for their service within their radius: the rule of the board and of the notices."""
    if not actor.is_approved_professional:
        return False
    if actor.id in (req.preferred_professional_id, req.declined_by_id):
        return True
    if req.preferred_professional_id is not None or profile.service_id != req.service_id:
        return False
    distance = distance_km(pro_pincode, req.pincode)
    return distance is not None and distance <= profile.service_radius_km


def can_view(actor: Actor, req: ServiceRequest, profile: ProfessionalProfile | None, *,
             pro_pincode: str = "") -> bool:
    """Owner, admin, assignee, addressee, or an approved pro the open job was offered to.

    Anything else answers "does not exist", exactly like an unknown id, so guessing ids tells
    a professional nothing about jobs elsewhere (`pro_pincode`: the professional's own pincode).
    """
    if actor.is_admin or req.customer_id == actor.id:
        return True
    if actor.role is not Role.professional or profile is None:
        return False
    if actor.id in (req.professional_id, req.preferred_professional_id):
        return True
    return req.status is RequestStatus.requested and offered_to(actor, req, profile, pro_pincode)


def _closed_customer(session: Session, req: ServiceRequest) -> bool:
    """Is the customer blocked or deleted? Their requests are withdrawn then; this refuses any that slipped by."""
    return session.exec(select(User.status).where(User.id == req.customer_id)).first() != UserStatus.active


def _active_pro(session: Session, user_id: int, service_id: int) -> bool:
    row = session.exec(
        select(ProfessionalProfile.id)
        .join(User, User.id == ProfessionalProfile.user_id)  # type: ignore[arg-type]
        .where(ProfessionalProfile.user_id == user_id, ProfessionalProfile.service_id == service_id,
               ProfessionalProfile.approval_status == "approved", User.status == UserStatus.active)
    ).first()
    return row is not None


def _slot(day: str, at: str, minutes: int, now: datetime) -> datetime:
    try:
        start = scheduling.parse_slot(day, at)
    except ValueError as exc:
        field_name = "day" if "date" in str(exc) else "time"
        raise ValidationFailed({field_name: str(exc)}) from exc
    problem = scheduling.slot_problem(start, minutes, now)
    if problem:
        raise ValidationFailed({"time" if "start time" in problem else "day": problem})
    return start


# ---------------------------------------------------------------- create / edit / read


def create_request(*, session: Session, actor: Actor | None, data: dict, now: datetime | None = None,
                   idempotency_key: str | None = None) -> RequestView:
    """A customer books a service slot, optionally addressed to one professional.

    With an idempotency key, a repeat (double click, retried API call) returns the first booking."""
    actor = require_role(actor, Role.customer)
    now = now or utcnow()
    key, scope = idempotency.clean(idempotency_key), "request.create"
    if (done := idempotency.replay(session, actor, scope, key, now=now)) is not None:
        return get_request(session=session, actor=actor, request_id=int(done))
    form = parse(BookingForm, data)
    service = session.get(Service, form.service_id)
    if service is None or not service.is_active:
        raise ValidationFailed({"service_id": "Choose a service from the list."})
    start = _slot(form.day, form.time, service.duration_minutes, now)
    if form.preferred_professional_id is not None and not _active_pro(
        session, form.preferred_professional_id, form.service_id
    ):
        raise ValidationFailed({"preferred_professional_id": "That professional is not available for this service."})
    req = ServiceRequest(service_id=service.id, customer_id=actor.id, scheduled_at=start, address=form.address,
                         pincode=form.pincode, remarks=form.remarks, price_paise=service.base_price_paise,
                         preferred_professional_id=form.preferred_professional_id, created_at=now, updated_at=now)
    session.add(req)
    session.flush()
    audit.record(session=session, actor_id=actor.id, action="request.create", target_type="request",
                 target_id=req.id)
    notifications.new_request(session, req=req, now=now)
    idempotency.remember(session, actor, scope, key, req.id, now=now)
    replayed = idempotency.committed(session, actor, scope, key, session.commit,
                                     lambda done: get_request(session=session, actor=actor, request_id=int(done)))
    if replayed is not None:
        return replayed
    assert req.id is not None
    return get_request(session=session, actor=actor, request_id=req.id)


def _load_for_action(session: Session, request_id: int) -> ServiceRequest:
    req = session.exec(select(ServiceRequest).where(ServiceRequest.id == request_id).with_for_update()).first()
    if req is None:
        raise NotFound("request")
    return req


def edit_request(*, session: Session, actor: Actor | None, request_id: int, data: dict,
                 now: datetime | None = None) -> RequestView:
    """Move the slot or change remarks while nobody has accepted yet."""
    return transition(session=session, actor=actor, request_id=request_id, action=Action.edit, data=data, now=now)


def get_request(*, session: Session, actor: Actor | None, request_id: int) -> RequestView:
    actor = require_role(actor, Role.customer, Role.professional, Role.admin)
    req = session.get(ServiceRequest, request_id)
    profile = _pro_profile(session, actor)
    if req is None or not can_view(actor, req, profile, pro_pincode=_pro_pincode(session, profile)):
        raise NotFound("request")
    return build_views(session, actor, [req], profile)[0]


def list_customer_requests(*, session: Session, actor: Actor | None) -> list[RequestView]:
    """The customer's own requests, upcoming and open first, then history."""
    actor = require_role(actor, Role.customer)
    rows = list(session.exec(
        select(ServiceRequest).where(ServiceRequest.customer_id == actor.id)
        .order_by(ServiceRequest.scheduled_at.desc())  # type: ignore[union-attr]
    ))
    done = {RequestStatus.closed, RequestStatus.cancelled}
    rows.sort(key=lambda r: (r.status in done, r.scheduled_at if r.status not in done else -r.id))  # type: ignore[operator]
    return build_views(session, actor, rows, None)


def list_for_actor(*, session: Session, actor: Actor | None, status: str = "", page: int = 1,
                   page_size: int = 20) -> tuple[list[RequestView], int]:
    """Own bookings: a customer's requests, a professional's jobs, or (admin) everything; newest first."""
    actor = require_role(actor, Role.customer, Role.professional, Role.admin)
    query = select(ServiceRequest)
    if actor.role is Role.customer:
        query = query.where(ServiceRequest.customer_id == actor.id)
    elif actor.role is Role.professional:
        query = query.where(ServiceRequest.professional_id == actor.id)
    if status:
        try:
            query = query.where(ServiceRequest.status == RequestStatus(status))
        except ValueError as exc:
            raise ValidationFailed({"status": "Unknown status."}) from exc
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = list(session.exec(query.order_by(ServiceRequest.id.desc())  # type: ignore[union-attr]
                             .offset((max(page, 1) - 1) * page_size).limit(page_size)))
    return build_views(session, actor, rows, _pro_profile(session, actor)), int(total)


# ---------------------------------------------------------------- transitions


def transition(*, session: Session, actor: Actor | None, request_id: int, action: Action | str,
               data: dict | None = None, now: datetime | None = None,
               idempotency_key: str | None = None) -> RequestView:
    """Apply one lifecycle action; the only way any caller changes a request's status.

    Safe to repeat: with an idempotency key a repeat returns the first call's result, and a
    professional accepting a job that is already theirs (a double tap) is simply told it is."""
    actor = require_role(actor, Role.customer, Role.professional, Role.admin)
    try:
        action = Action(action)
    except ValueError as exc:
        raise InvalidTransition("That action does not exist.") from exc
    now = now or utcnow()
    data = dict(data or {})
    key, scope = idempotency.clean(idempotency_key), f"request:{request_id}:{action.value}"
    req = _load_for_action(session, request_id)
    profile = _pro_profile(session, actor)
    pincode = _pro_pincode(session, profile)
    already_mine = action is Action.accept and req.status is RequestStatus.assigned and req.professional_id == actor.id
    if already_mine or idempotency.replay(session, actor, scope, key, now=now) is not None:
        if not can_view(actor, req, profile, pro_pincode=pincode):
            raise NotFound("request")
        return get_request(session=session, actor=actor, request_id=request_id)
    if action is Action.accept and _closed_customer(session, req):
        raise NotFound("request")  # a blocked or deleted customer's booking is gone, not "taken"
    # "Taken" only to a professional it was offered to: to anyone else it would confirm that a
    # job exists (another service, out of their radius, addressed to someone else): NotFound below.
    if action is Action.accept and req.status is not RequestStatus.requested and profile is not None \
            and offered_to(actor, req, profile, pincode):
        raise Conflict(ALREADY_TAKEN)
    if not can_view(actor, req, profile, pro_pincode=pincode):
        raise NotFound("request")
    facts = request_facts(req)
    if (req.status, action) not in TRANSITIONS:
        raise InvalidTransition(f"A {req.status.value.replace('_', ' ')} request cannot be {_past(action)}.")
    if not can_apply(actor, facts, action, pro_service_id=profile.service_id if profile else None,
                     pro_available=profile.is_available if profile else False):
        if action is Action.accept and profile is not None and not profile.is_available:
            raise Forbidden("Turn on availability to accept jobs.")
        raise Forbidden(f"You cannot {action.value} this request.")
    EFFECTS[action](session, actor, req, data, now)
    req.updated_at = now
    session.add(req)
    if req.status not in ACTIVE:
        tracking.forget(session, req.id)  # privacy: a position is kept only while the job is live
    notifications.request_changed(session, actor=actor, req=req, action=action.value, now=now,
                                  reason=req.cancel_reason if action is Action.cancel else "")
    audit.record(session=session, actor_id=actor.id, action=f"request.{action.value}", target_type="request",
                 target_id=req.id, status=req.status.value)
    idempotency.remember(session, actor, scope, key, request_id, now=now)
    replayed = idempotency.committed(session, actor, scope, key, session.commit,
                                     lambda _: get_request(session=session, actor=actor, request_id=request_id))
    BOOKING_TRANSITIONS.labels(action=action.value).inc(0 if replayed else 1)  # moves this call committed
    return replayed or get_request(session=session, actor=actor, request_id=request_id)


def _past(action: Action) -> str:
    return {"edit": "edited", "cancel": "cancelled", "accept": "accepted", "decline": "declined",
            "start": "started", "complete": "completed", "pay": "paid", "close": "closed"}[action.value]


def _edit(session: Session, actor: Actor, req: ServiceRequest, data: dict, now: datetime) -> None:
    form = parse(BookingEdit, data)
    service = session.get(Service, req.service_id)
    assert service is not None
    req.scheduled_at = _slot(form.day, form.time, service.duration_minutes, now)
    req.remarks = form.remarks


def _cancel(session: Session, actor: Actor, req: ServiceRequest, data: dict, now: datetime) -> None:
    form = parse(CancelForm, data)
    if req.status is RequestStatus.assigned and not actor.is_admin \
            and req.scheduled_at - now < scheduling.CANCEL_NOTICE:
        raise InvalidTransition("Accepted jobs can be cancelled only until 2 hours before the slot.")
    req.status = RequestStatus.cancelled
    req.cancel_reason = form.reason
    req.cancelled_by_id = actor.id
    req.cancelled_at = now


def _accept(session: Session, actor: Actor, req: ServiceRequest, data: dict, now: datetime) -> None:
    service = session.get(Service, req.service_id)
    assert service is not None
    # Serialise this professional's accepts (PostgreSQL row lock; SQLite already holds the write lock).
    session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == actor.id).with_for_update())
    for other_start, minutes in session.exec(
        select(ServiceRequest.scheduled_at, Service.duration_minutes)
        .join(Service, Service.id == ServiceRequest.service_id)  # type: ignore[arg-type]
        .where(ServiceRequest.professional_id == actor.id, ServiceRequest.status.in_(ACTIVE),  # type: ignore[attr-defined]
               ServiceRequest.id != req.id)
    ):
        if scheduling.overlaps(req.scheduled_at, service.duration_minutes, other_start, minutes):
            raise Conflict("You already have a job at that time.")
    # Conditional update: exactly one concurrent accept can move it out of 'requested'.
    won = session.exec(
        update(ServiceRequest)
        .where(ServiceRequest.id == req.id, ServiceRequest.status == RequestStatus.requested,  # type: ignore[arg-type]
               ServiceRequest.professional_id.is_(None))  # type: ignore[union-attr]
        .values(status=RequestStatus.assigned, professional_id=actor.id, assigned_at=now, updated_at=now)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if won != 1:
        session.rollback()
        raise Conflict(ALREADY_TAKEN)
    session.refresh(req)
    changes.touch(session, changes.pool(req.service_id), changes.user(actor.id), changes.user(req.customer_id))


def _decline(session: Session, actor: Actor, req: ServiceRequest, data: dict, now: datetime) -> None:
    form = parse(DeclineForm, data)
    req.preferred_professional_id = None  # back to the open pool
    req.decline_reason = form.reason
    req.declined_by_id = actor.id


def _start(session: Session, actor: Actor, req: ServiceRequest, data: dict, now: datetime) -> None:
    early = get_settings().early_start_hours
    if now < req.scheduled_at - timedelta(hours=early):
        raise InvalidTransition(f"You can start a job at most {early} hours before its slot.")
    req.status = RequestStatus.in_progress
    req.started_at = now


def _complete(session: Session, actor: Actor, req: ServiceRequest, data: dict, now: datetime) -> None:
    form = parse(CompleteForm, data)
    if form.extra_charge_rupees and len(form.extra_charge_reason.strip()) < 3:
        raise ValidationFailed({"extra_charge_reason": "Explain the extra charge to the customer."})
    req.extra_charge_paise = form.extra_charge_rupees * 100
    req.extra_charge_reason = form.extra_charge_reason.strip() if form.extra_charge_rupees else ""
    req.status = RequestStatus.completed
    req.completed_at = now


def _is_paid(session: Session, request_id: int) -> Payment | None:
    return session.exec(select(Payment).where(Payment.request_id == request_id, Payment.status == "paid")).first()


def _pay(session: Session, actor: Actor, req: ServiceRequest, data: dict, now: datetime) -> None:
    form = parse(PayForm, data)
    assert req.id is not None
    if _is_paid(session, req.id):
        raise InvalidTransition("This job is already paid.")
    session.add(Payment(request_id=req.id, amount_paise=req.price_paise + req.extra_charge_paise,
                        method=PaymentMethod(form.method), created_at=now))


def _close(session: Session, actor: Actor, req: ServiceRequest, data: dict, now: datetime) -> None:
    form = parse(ReviewForm, data)
    assert req.id is not None and req.professional_id is not None
    if not _is_paid(session, req.id):
        raise InvalidTransition("Pay for the job before closing it.")
    session.add(Review(request_id=req.id, customer_id=actor.id, professional_id=req.professional_id,
                       rating=form.rating, comment=form.comment.strip(), created_at=now))
    # The aggregate moves in the same transaction as the review: they can never disagree.
    session.exec(
        update(ProfessionalProfile).where(ProfessionalProfile.user_id == req.professional_id)  # type: ignore[arg-type]
        .values(rating_count=ProfessionalProfile.rating_count + 1,
                rating_sum=ProfessionalProfile.rating_sum + form.rating)
        .execution_options(synchronize_session="fetch")
    )
    req.status = RequestStatus.closed
    req.closed_at = now


EFFECTS = {
    Action.edit: _edit, Action.cancel: _cancel, Action.accept: _accept, Action.decline: _decline,
    Action.start: _start, Action.complete: _complete, Action.pay: _pay, Action.close: _close,
}


__all__ = ["ALREADY_TAKEN", "RequestView", "can_view", "create_request", "edit_request",
           "get_request", "list_customer_requests", "offered_to", "transition"]
