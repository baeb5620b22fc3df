"""The professional's side: job lists, availability, earnings and ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal_column, or_
from sqlmodel import Session, col, select

from hsa.i18n.text import msg
from hsa.models import (
    ACTIVE,
    FINISHED,
    ProfessionalProfile,
    RequestStatus,
    Review,
    ServiceRequest,
    User,
    utcnow,
)
from hsa.services import quality, scheduling
from hsa.services.actors import Actor
from hsa.services.errors import Forbidden, NotFound, ValidationFailed
from hsa.services.money.payments import balance, paid_amounts
from hsa.services.money.pricing import bill
from hsa.services.permissions import require_approved_professional
from hsa.services.pincodes import distance_km
from hsa.services.request_views import RequestView, build_views
from hsa.services.review_flags import flag_state
from hsa.services.views import rupees

OPEN_JOBS_SHOWN = 30  # nearest first; a phone screen does not need more, and each costs a view


@dataclass(frozen=True)
class ReviewView:
    rating: int
    comment: str
    customer_name: str
    when: str
    id: int = 0
    flag: str = ""             # review_flags.flag_state: '', waiting, hidden, kept
    moderation_note: str = ""  # the admin's reason, once decided


@dataclass(frozen=True)
class ProBoard:
    """Everything the professional's home shows, in one round trip."""

    available: bool
    service_radius_km: int
    addressed: list[RequestView]
    open_nearby: list[RequestView]
    today: list[RequestView]
    upcoming: list[RequestView]
    history: list[RequestView]
    earnings: str
    jobs_done: int
    rating_avg: float
    rating_count: int
    reviews: list[ReviewView]


def _profile(session: Session, actor: Actor) -> ProfessionalProfile:
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == actor.id)).first()
    if profile is None:
        raise NotFound("professional profile")
    return profile


def board(*, session: Session, actor: Actor | None, now: datetime | None = None) -> ProBoard:
    """Addressed requests first, then open ones nearby (nearest first), then own jobs."""
    actor = require_approved_professional(actor)
    now = now or utcnow()
    profile = _profile(session, actor)
    me = session.get(User, actor.id)
    assert me is not None
    # Filter on the addressee's own index, then by status here: with ORDER BY scheduled_at the
    # planner otherwise walks every 'requested' row (200 ms at 1,000,000 requests).
    mine_addressed = ServiceRequest.preferred_professional_id == actor.id
    if session.get_bind().dialect.name == "sqlite":
        # Its statistics see a column of mostly NULLs and would scan every row: say it is selective.
        mine_addressed = func.likelihood(mine_addressed, literal_column("0.0001"))  # must be a literal
    addressed = sorted((r for r in session.exec(select(ServiceRequest).where(mine_addressed))
                        if r.status is RequestStatus.requested), key=lambda r: r.scheduled_at)
    near = _nearby(session, actor, profile, me, now)
    mine = list(session.exec(
        select(ServiceRequest).where(ServiceRequest.professional_id == actor.id)
        .order_by(ServiceRequest.scheduled_at)))  # type: ignore[arg-type]
    active = [r for r in mine if r.status in ACTIVE]
    today = scheduling.local_date(now)
    done = [r for r in reversed(mine) if r.status in FINISHED][:20]
    earned = _earned(session, actor)
    reviews = session.exec(
        select(Review, User.full_name).join(User, User.id == Review.customer_id)  # type: ignore[arg-type]
        .where(Review.professional_id == actor.id).order_by(Review.created_at.desc()).limit(20)  # type: ignore[union-attr]
    ).all()
    views = build_views(session, actor, addressed + near + active + done, profile)
    by_id = {v.id: v for v in views}
    return ProBoard(
        available=profile.is_available, service_radius_km=profile.service_radius_km,
        addressed=[by_id[r.id] for r in addressed],  # type: ignore[index]
        open_nearby=[by_id[r.id] for r in near],  # type: ignore[index]
        today=[by_id[r.id] for r in active if scheduling.local_date(r.scheduled_at) <= today],  # type: ignore[index]
        upcoming=[by_id[r.id] for r in active if scheduling.local_date(r.scheduled_at) > today],  # type: ignore[index]
        history=[by_id[r.id] for r in done],  # type: ignore[index]
        earnings=rupees(earned[0]), jobs_done=earned[1],
        rating_avg=round(profile.rating_sum / profile.rating_count, 2) if profile.rating_count else 0.0,
        rating_count=profile.rating_count,
        reviews=[ReviewView(rating=r.rating, comment=r.comment, customer_name=n.split(" ")[0],
                            when=scheduling.local_label(r.created_at), id=r.id or 0, flag=flag_state(r),
                            moderation_note=r.moderation_note) for r, n in reviews],
    )


def _earned(session: Session, actor: Actor) -> tuple[int, int]:
    """(paise earned, jobs done): a job counts once its customer has paid in full, not when the work ends.

    Counting completed-but-unpaid jobs showed money the professional may never get. "Done" is
    completed or closed, and paid; the amount is the professional's share of the bill (their
    price and approved extras, less HomeServe's commission — not the fee or the GST).
    """
    rows = list(session.exec(select(ServiceRequest).where(ServiceRequest.professional_id == actor.id,
                                                          col(ServiceRequest.status).in_(FINISHED))))
    paid = paid_amounts(session, [r.id for r in rows if r.id is not None])
    done = [r for r in rows if balance(r, paid.get(r.id or 0, 0)) <= 0]
    return sum(bill(r).professional_paise for r in done), len(done)


def _nearby(session: Session, actor: Actor, profile: ProfessionalProfile, me: User,
            now: datetime) -> list[ServiceRequest]:
    """Open, unaddressed requests of their service within their radius, nearest first."""
    # Distance needs only the pincode: filter plain tuples, then load the few rows shown
    # (building 500 ORM objects per refresh was a quarter of the server's time under load).
    candidates = session.exec(
        select(ServiceRequest.id, ServiceRequest.pincode, ServiceRequest.scheduled_at).where(
            ServiceRequest.status == RequestStatus.requested, ServiceRequest.preferred_professional_id.is_(None),  # type: ignore[union-attr]
            ServiceRequest.service_id == profile.service_id, ServiceRequest.scheduled_at > now,
            or_(ServiceRequest.declined_by_id.is_(None), ServiceRequest.declined_by_id != actor.id))  # type: ignore[union-attr]
        .order_by(ServiceRequest.scheduled_at).limit(500)).all()  # type: ignore[arg-type]
    near = []
    for request_id, pincode, when in candidates:
        d = distance_km(me.pincode, pincode)
        if d is not None and d <= profile.service_radius_km:
            near.append((d, when, request_id))
    near.sort()
    chosen = [request_id for _, _, request_id in near[:OPEN_JOBS_SHOWN]]
    rows = {r.id: r for r in session.exec(select(ServiceRequest).where(ServiceRequest.id.in_(chosen)))}  # type: ignore[union-attr]
    return [rows[i] for i in chosen if i in rows]


def open_pool(*, session: Session, actor: Actor | None, now: datetime | None = None) -> list[RequestView]:
    """Only the "open jobs near you" list: what a new or taken job elsewhere changes."""
    actor = require_approved_professional(actor)
    profile = _profile(session, actor)
    me = session.get(User, actor.id)
    assert me is not None
    return build_views(session, actor, _nearby(session, actor, profile, me, now or utcnow()), profile)


def set_availability(*, session: Session, actor: Actor | None, available: bool,
                     radius_km: int | None = None) -> None:
    """Go on or off duty, and set how far they travel."""
    actor = require_approved_professional(actor)
    profile = _profile(session, actor)
    if radius_km is not None:
        if not 1 <= radius_km <= 100:
            raise ValidationFailed({"radius_km": msg("svc_booking.choose_radius")})
        profile.service_radius_km = radius_km
    if available and quality.is_suspended(session, actor.id):
        raise Forbidden(quality.SUSPENDED)
    profile.is_available = bool(available)
    session.add(profile)
    session.commit()
