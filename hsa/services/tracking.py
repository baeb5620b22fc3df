"""Live tracking: "On my way", the professional's latest position, and the customer's view of it.

Rules (see docs/privacy.md):
- Only the professional assigned to a job shares a position, and only after tapping
  "On my way" (`start_trip`) on an assigned or in-progress job.
- One row per job (`job_locations`), overwritten by each accepted fix: no trail is stored,
  and positions are never written to the audit log.
- The row is deleted in the same transaction that moves the job out of assigned /
  in-progress (`forget`, called by `bookings.transition` and the admin paths).
- The job's customer and admins may read it; so may the professional (their own position).
  Anyone else is told the request does not exist, like every other request read.

Every refused fix raises before anything is written, so a bad or hostile client cannot move
the marker: wrong sender, no trip, inactive job, non-finite or out-of-range numbers, (0, 0),
outside India, a timestamp from the future or older than the stored one, an absurd accuracy,
or a jump faster than 200 km/h.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from hsa.i18n.text import msg
from hsa.models import ACTIVE, JobLocation, RequestStatus, Role, ServiceRequest, User, utcnow
from hsa.services import audit, notifications
from hsa.services.actors import Actor
from hsa.services.errors import InvalidTransition, NotFound, ValidationFailed
from hsa.services.permissions import require_actor, require_assignee
from hsa.services.pincodes import centroid, haversine_km
from hsa.services.schemas import PositionForm, parse
from hsa.settings import get_settings

THROTTLE = timedelta(seconds=3)         # fixes closer together than this are accepted but not written
CLOCK_SKEW = timedelta(seconds=30)      # a phone clock may run this far ahead of ours
MAX_SPEED_KMH = 200.0                   # faster than any scooter or car in a city: a bad fix or a spoof
GPS_NOISE_KM = (0.1, 1.0)               # jumps within the fixes' accuracy (clamped to this) are not travel
ARRIVING_KM = 0.3
STALE_AFTER = timedelta(minutes=2)
INDIA_LAT = (6.0, 37.5)                 # bounding box of India: the app only serves Indian pincodes
INDIA_LON = (68.0, 97.5)

ON_THE_WAY, ARRIVING = msg("svc_booking.track_on_the_way"), msg("svc_booking.track_arriving")
IN_PROGRESS, WAITING = msg("svc_booking.track_in_progress"), msg("svc_booking.track_waiting")


@dataclass(frozen=True)
class TrackingView:
    """What the tracking map shows; distances in km, ETA in whole minutes (rounded up)."""

    request_id: int
    status: str                     # the request's status value
    label: str                      # "On the way" | "Arriving" | "Job in progress" | "Waiting for location"
    professional_name: str
    destination_lat: float | None   # centroid of the job's pincode
    destination_lon: float | None
    pro_lat: float | None           # None until the first accepted fix
    pro_lon: float | None
    accuracy_m: float | None
    distance_km: float | None       # straight line (haversine), 2 decimals
    eta_minutes: int | None         # distance_km x HSA_ETA_DETOUR_FACTOR / HSA_ETA_SPEED_KMH, rounded up
    arriving: bool                  # within 300 m of the destination
    en_route_at: datetime | None    # when "On my way" was tapped
    recorded_at: datetime | None    # when the shown position was taken
    updated_seconds_ago: int | None
    stale: bool                     # no fix for more than 2 minutes


# ------------------------------------------------------------------ helpers


def _load(session: Session, request_id: int) -> ServiceRequest:
    req = session.exec(select(ServiceRequest).where(ServiceRequest.id == request_id).with_for_update()).first()
    if req is None:
        raise NotFound("request")
    return req


def _is_assignee(actor: Actor, req: ServiceRequest) -> bool:
    return actor.role is Role.professional and req.professional_id == actor.id


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed({field: message}, message)


def _build(session: Session, req: ServiceRequest, loc: JobLocation | None, now: datetime) -> TrackingView:
    settings = get_settings()
    assert req.id is not None
    dest = centroid(req.pincode)
    pro = session.get(User, req.professional_id) if req.professional_id else None
    here = (loc.lat, loc.lon) if loc is not None and loc.lat is not None and loc.lon is not None else None
    distance = eta = None
    if here is not None and dest is not None:
        straight = haversine_km(here, dest)
        distance = round(straight, 2)
        eta = math.ceil(straight * settings.eta_detour_factor / settings.eta_speed_kmh * 60)
    arriving = distance is not None and distance <= ARRIVING_KM
    age = None
    if loc is not None and loc.recorded_at is not None:
        age = max(0, int((now - loc.recorded_at).total_seconds()))
    if req.status is RequestStatus.in_progress:
        label = IN_PROGRESS
    elif here is None:
        label = WAITING
    else:
        label = ARRIVING if arriving else ON_THE_WAY
    return TrackingView(
        request_id=req.id, status=req.status.value, label=label,
        professional_name=pro.full_name if pro else "",
        destination_lat=dest[0] if dest else None, destination_lon=dest[1] if dest else None,
        pro_lat=here[0] if here else None, pro_lon=here[1] if here else None,
        accuracy_m=loc.accuracy_m if loc is not None and here else None,
        distance_km=distance, eta_minutes=eta, arriving=arriving,
        en_route_at=loc.en_route_at if loc is not None else None,
        recorded_at=loc.recorded_at if loc is not None else None,
        updated_seconds_ago=age, stale=age is not None and age > STALE_AFTER.total_seconds(),
    )


def forget(session: Session, request_id: int | None) -> None:
    """Delete a job's position (the job left assigned / in progress); the caller commits."""
    loc = session.get(JobLocation, request_id) if request_id else None
    if loc is not None:
        session.delete(loc)  # an ORM delete, so the change reaches the open tracking pages


def forget_professional(session: Session, professional_id: int) -> None:
    """Delete every position of a professional being blocked or deleted; the caller commits."""
    for loc in session.exec(select(JobLocation).where(JobLocation.professional_id == professional_id)):
        session.delete(loc)


# ------------------------------------------------------------------ use cases


def start_trip(*, session: Session, actor: Actor | None, request_id: int, now: datetime | None = None) -> TrackingView:
    """"On my way": the assigned professional opens the trip; the customer is notified once.

    Idempotent: tapping again returns the same trip. Allowed from HSA_EARLY_START_HOURS before
    the slot (the same window as starting the job), so nobody is tracked days ahead.
    """
    actor = require_actor(actor)
    now = now or utcnow()
    req = _load(session, request_id)
    require_assignee(actor, req, doing="share its location")
    if req.status not in ACTIVE:
        raise InvalidTransition(msg("svc_booking.track_only_accepted"))
    loc = session.get(JobLocation, req.id)
    if loc is not None and loc.professional_id != actor.id:  # left over from an earlier assignee
        session.delete(loc)
        session.flush()
        loc = None
    if loc is None:
        early = get_settings().early_start_hours
        if now < req.scheduled_at - timedelta(hours=early):
            raise InvalidTransition(msg("svc_booking.track_too_early", early=early))
        assert req.id is not None
        loc = JobLocation(request_id=req.id, professional_id=actor.id, customer_id=req.customer_id, en_route_at=now)
        session.add(loc)
        audit.record(session=session, actor_id=actor.id, action="request.on_my_way", target_type="request",
                     target_id=req.id)
        notifications.on_the_way(session, req=req, pro_name=actor.full_name, now=now)
    view = _build(session, req, loc, now)
    session.commit()
    return view


def active_trip(*, session: Session, actor: Actor | None) -> int | None:
    """The request id this professional is sharing their location for, if any (resumes the
    sharing loop after a page reload)."""
    actor = require_actor(actor)
    if actor.role is not Role.professional:
        return None
    return session.exec(
        select(JobLocation.request_id).join(ServiceRequest, ServiceRequest.id == JobLocation.request_id)  # type: ignore[arg-type]
        .where(JobLocation.professional_id == actor.id, ServiceRequest.professional_id == actor.id,
               ServiceRequest.status.in_(ACTIVE))  # type: ignore[attr-defined]
        .order_by(JobLocation.en_route_at.desc()).limit(1)).first()  # type: ignore[union-attr]


def record_position(*, session: Session, actor: Actor | None, request_id: int, lat: object, lon: object,
                    accuracy_m: object = None, recorded_at: object = None,
                    now: datetime | None = None) -> TrackingView:
    """Store the professional's latest fix, or refuse it and store nothing.

    Refusals: NotAuthenticated / NotFound / Forbidden (not the assigned professional),
    InvalidTransition (job not active, or no "On my way" yet), ValidationFailed with one of
    the fields lat, lon, accuracy_m, recorded_at or position. Fixes less than 3 s after the
    stored one are accepted without a write (phones send bursts); the current view comes back.
    """
    actor = require_actor(actor)
    now = now or utcnow()
    req = _load(session, request_id)
    require_assignee(actor, req, doing="share its location")
    if req.status not in ACTIVE:
        raise InvalidTransition(msg("svc_booking.track_stopped"))
    loc = session.exec(select(JobLocation).where(JobLocation.request_id == req.id).with_for_update()).first()
    if loc is None:
        raise InvalidTransition(msg("svc_booking.track_tap_on_my_way"))
    fix = parse(PositionForm, {"lat": lat, "lon": lon, "accuracy_m": accuracy_m, "recorded_at": recorded_at})
    if fix.lat == 0 and fix.lon == 0:
        raise _refuse("position", msg("svc_booking.track_no_fix"))
    if not (INDIA_LAT[0] <= fix.lat <= INDIA_LAT[1] and INDIA_LON[0] <= fix.lon <= INDIA_LON[1]):
        raise _refuse("position", msg("svc_booking.track_outside_india"))
    at = fix.recorded_at or now
    if at > now + CLOCK_SKEW:
        raise _refuse("recorded_at", msg("svc_booking.track_future"))
    if loc.recorded_at is not None:
        if at < loc.recorded_at:
            raise _refuse("recorded_at", msg("svc_booking.track_older"))
        if at - loc.recorded_at < THROTTLE:
            view = _build(session, req, loc, now)
            session.commit()
            return view
        if loc.lat is not None and loc.lon is not None:
            _check_speed(loc, fix, at)
    loc.lat, loc.lon, loc.accuracy_m, loc.recorded_at = fix.lat, fix.lon, fix.accuracy_m, at
    session.add(loc)
    session.flush()
    view = _build(session, req, loc, now)
    session.commit()
    return view


def _check_speed(loc: JobLocation, fix: PositionForm, at: datetime) -> None:
    """Refuse a jump faster than MAX_SPEED_KMH, allowing for the two fixes' accuracy.

    The time between fixes is at least THROTTLE here (closer ones are not written), so a
    tiny delta cannot make ordinary GPS jitter look like 1,000 km/h.
    """
    assert loc.lat is not None and loc.lon is not None and loc.recorded_at is not None
    km = haversine_km((loc.lat, loc.lon), (fix.lat, fix.lon))
    noise = ((loc.accuracy_m or 0.0) + (fix.accuracy_m or 0.0)) / 1000
    noise = min(max(noise, GPS_NOISE_KM[0]), GPS_NOISE_KM[1])
    hours = max((at - loc.recorded_at).total_seconds(), THROTTLE.total_seconds()) / 3600
    if max(km - noise, 0.0) / hours > MAX_SPEED_KMH:
        raise _refuse("position", msg("svc_booking.track_too_far"))


def view_position(*, session: Session, actor: Actor | None, request_id: int,
                  now: datetime | None = None) -> TrackingView | None:
    """The tracking map for the job's customer, an admin, or the professional themself.

    None when there is nothing to track: the job is not yet on its way (assigned without
    "On my way"), or no longer active (completed, closed, cancelled, back in the pool).
    """
    actor = require_actor(actor)
    now = now or utcnow()
    req = session.get(ServiceRequest, request_id)
    if req is None or not (actor.is_admin or req.customer_id == actor.id or _is_assignee(actor, req)):
        raise NotFound("request")
    if req.status not in ACTIVE:
        return None
    loc = session.get(JobLocation, req.id)
    if loc is None and req.status is RequestStatus.assigned:
        return None
    return _build(session, req, loc, now)


__all__ = ["ARRIVING_KM", "TrackingView", "forget", "forget_professional", "record_position", "start_trip",
           "view_position"]
