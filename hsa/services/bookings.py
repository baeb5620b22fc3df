"""Booking use cases: create, edit, list, and every lifecycle transition.

Every status change goes through `transition`, which hands it to the process engine
(`hsa.services.process`): the declaration there says who may do what and what happens.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from hsa.i18n.text import msg
from hsa.models import ProfessionalProfile, RequestStatus, Role, Service, ServiceRequest, User, utcnow
from hsa.services import audit, idempotency, notifications
from hsa.services.actors import Actor
from hsa.services.errors import NotFound, ValidationFailed
from hsa.services.money import pricing
from hsa.services.permissions import at_work, can_view, require_role, require_verified
from hsa.services.process import engine
from hsa.services.process.declaration import PROCESS
from hsa.services.process.effects import ALREADY_TAKEN, require_free_slot, unaccepted_slot
from hsa.services.process.model import Process
from hsa.services.request_views import RequestView, build_views
from hsa.services.schemas import BookingForm, parse
from hsa.settings import get_settings

_pro_profile, _pro_pincode = engine.pro_profile, engine.pro_pincode


def _active_pro(session: Session, user_id: int, service_id: int) -> ProfessionalProfile | None:
    """The profile of a professional who can be booked for `service_id` now (their price is on it)."""
    return session.exec(
        select(ProfessionalProfile)
        .join(User, col(User.id) == ProfessionalProfile.user_id)
        .where(ProfessionalProfile.user_id == user_id, ProfessionalProfile.service_id == service_id, at_work())
    ).first()


# ---------------------------------------------------------------- create / edit / read


def create_request(*, session: Session, actor: Actor | None, data: dict, now: datetime | None = None,
                   idempotency_key: str | None = None) -> RequestView:
    """A customer books a service slot, optionally addressed to one professional; returns its view.

    With an idempotency key, a repeat (double click, retried API call) returns the first booking."""
    request_id = book(session=session, actor=actor, data=data, now=now, idempotency_key=idempotency_key)
    return get_request(session=session, actor=actor, request_id=request_id)


def book(*, session: Session, actor: Actor | None, data: dict, now: datetime | None = None,
         idempotency_key: str | None = None) -> int:
    """`create_request` without building the view: the id of the new (or, repeated, the first) booking.

    The booking page only redirects afterwards; building the view was half of a booking's cost."""
    actor = require_role(actor, Role.customer)
    require_verified(actor)
    now = now or utcnow()
    key, scope = idempotency.clean(idempotency_key), "request.create"
    if (done := idempotency.replay(session, actor, scope, key, now=now)) is not None:
        return int(done)
    form = parse(BookingForm, data)
    service = session.get(Service, form.service_id)
    if service is None or not service.is_active:
        raise ValidationFailed({"service_id": msg("svc_booking.choose_service")})
    start = unaccepted_slot(form.day, form.time, service.duration_minutes, now)
    profile = None
    if form.preferred_professional_id is not None:
        profile = _active_pro(session, form.preferred_professional_id, form.service_id)
        if profile is None:
            raise ValidationFailed({"preferred_professional_id":
                                    msg("svc_booking.pro_not_for_service")})
    require_free_slot(session, service=service, pincode=form.pincode, start=start, now=now,
                      professional_id=form.preferred_professional_id)
    req = ServiceRequest(service_id=service.id, customer_id=actor.id, scheduled_at=start, address=form.address,
                         pincode=form.pincode, remarks=form.remarks,
                         preferred_professional_id=form.preferred_professional_id, created_at=now, updated_at=now,
                         **_fixed_prices(service, profile))
    session.add(req)
    session.flush()
    audit.record(session=session, actor_id=actor.id, action="request.create", target_type="request",
                 target_id=req.id)
    notifications.new_request(session, req=req, now=now)
    idempotency.remember(session, actor, scope, key, req.id, now=now)
    replayed = idempotency.committed(session, actor, scope, key, session.commit, int)
    if replayed is not None:
        return replayed
    assert req.id is not None
    return req.id


def _fixed_prices(service: Service, profile: ProfessionalProfile | None) -> dict[str, int]:
    """What the booking costs, fixed on the row when it is made and never taken from the form: the
    preferred professional's own price (else the base price: an open booking is offered to
    everyone at it, and if the preferred professional declines it stays at the price agreed), and
    today's platform fee, GST rate and the service's commission. The same numbers as the quote the
    booking form showed (`pricing.quote`)."""
    bill = pricing.quote(service, profile, platform_fee_paise=get_settings().platform_fee_paise)
    return {"price_paise": bill.work_paise, "platform_fee_paise": bill.platform_fee_paise, "gst_bps": bill.gst_bps,
            "commission_bps": bill.commission_bps}


def edit_request(*, session: Session, actor: Actor | None, request_id: int, data: dict,
                 now: datetime | None = None) -> RequestView:
    """Move the slot or change remarks while nobody has accepted yet."""
    return transition(session=session, actor=actor, request_id=request_id, action="edit", data=data, now=now)


def get_request(*, session: Session, actor: Actor | None, request_id: int, now: datetime | None = None,
                process: Process = PROCESS) -> RequestView:
    actor = require_role(actor, Role.customer, Role.professional, Role.admin)
    req = session.get(ServiceRequest, request_id)
    profile = _pro_profile(session, actor)
    if req is None or not can_view(actor, req, profile, pro_pincode=_pro_pincode(session, profile)):
        raise NotFound("request")
    return build_views(session, actor, [req], profile, now=now, process=process)[0]


PAST_PAGE = 20  # past (closed or cancelled) bookings shown on "My requests" before "Show older"
PAST_MAX = 1000  # the most a customer can page out to (the handler's argument is anyone's to send)
_DONE = (RequestStatus.closed, RequestStatus.cancelled)


def list_customer_requests(*, session: Session, actor: Actor | None) -> list[RequestView]:
    """Every one of the customer's own requests, upcoming and open first, then history."""
    return customer_requests_page(session=session, actor=actor, past_limit=None)[0]


def customer_requests_page(*, session: Session, actor: Actor | None, past_limit: int | None = PAST_PAGE
                           ) -> tuple[list[RequestView], bool]:
    """The customer's open requests (soonest first) and their newest `past_limit` finished ones,
    and whether older ones exist. Paged because the page is rebuilt on every push, and a regular
    customer's history only grows (it was the largest cost of the page under load, issue #15)."""
    actor = require_role(actor, Role.customer)
    mine = ServiceRequest.customer_id == actor.id
    open_rows = list(session.exec(
        select(ServiceRequest).where(mine, col(ServiceRequest.status).not_in(_DONE))
        .order_by(ServiceRequest.scheduled_at, ServiceRequest.id)  # type: ignore[arg-type]
    ))
    past = select(ServiceRequest).where(mine, col(ServiceRequest.status).in_(_DONE)).order_by(
        col(ServiceRequest.id).desc())
    if past_limit is not None:
        past_limit = max(1, min(int(past_limit), PAST_MAX))
        past = past.limit(past_limit + 1)
    past_rows = list(session.exec(past))
    older = past_limit is not None and len(past_rows) > past_limit
    return build_views(session, actor, open_rows + past_rows[:past_limit], None), older


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
            raise ValidationFailed({"status": msg("svc_booking.unknown_status")}) from exc
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = list(session.exec(query.order_by(ServiceRequest.id.desc())  # type: ignore[union-attr]
                             .offset((max(page, 1) - 1) * page_size).limit(page_size)))
    return build_views(session, actor, rows, _pro_profile(session, actor)), int(total)


# ---------------------------------------------------------------- transitions


def transition(*, session: Session, actor: Actor | None, request_id: int, action: str,
               data: dict | None = None, now: datetime | None = None, idempotency_key: str | None = None,
               process: Process = PROCESS) -> RequestView:
    """Apply one declared action; the only way any caller changes a request's status.

    Safe to repeat: with an idempotency key a repeat returns the first call's result, and a
    professional accepting a job that is already theirs (a double tap) is simply told it is."""
    engine.apply(session=session, actor=actor, request_id=request_id, action=str(action), data=data,
                 now=now or utcnow(), idempotency_key=idempotency_key, process=process)
    return get_request(session=session, actor=actor, request_id=request_id, now=now, process=process)


__all__ = ["ALREADY_TAKEN", "RequestView", "book", "create_request", "edit_request", "get_request",
           "customer_requests_page", "list_customer_requests", "list_for_actor", "transition"]
