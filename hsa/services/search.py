"""Find professionals: filter in SQL, then rank by a shrunk (Bayesian) rating and distance.

See docs/ranking.md for the formula and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from hsa.models import ProfessionalProfile, Service, User
from hsa.services.actors import Actor
from hsa.services.errors import ValidationFailed
from hsa.services.permissions import at_work, require_actor
from hsa.services.pincodes import (
    centroid,
    haversine_km,
    is_valid_pincode,
    locality,
    looks_like_pincode,
    normalize_pincode,
    pincode_for_locality,
)

PRIOR_MEAN = 4.0      # what we assume of a professional before any reviews
PRIOR_WEIGHT = 10     # how many reviews that assumption is worth
KM_PER_STAR = 50.0    # 50 km farther costs as much as one star less
PAGE_SIZE = 20


@dataclass(frozen=True)
class ProfessionalCard:
    user_id: int
    full_name: str
    service_id: int
    service_name: str
    experience_years: int
    bio: str
    rating_avg: float
    rating_count: int
    locality: str
    distance_km: float | None
    score: float


def bayes_rating(rating_sum: int, rating_count: int) -> float:
    """Average shrunk toward PRIOR_MEAN; few reviews move it little, many move it fully."""
    return (PRIOR_MEAN * PRIOR_WEIGHT + rating_sum) / (PRIOR_WEIGHT + rating_count)


def rank_score(rating_sum: int, rating_count: int, distance: float | None) -> float:
    return bayes_rating(rating_sum, rating_count) - (distance or 0.0) / KM_PER_STAR


def resolve_place(text: str, near: str = "") -> str:
    """'560034', '560 034' or 'Koramangala' / 'Bangalore' -> a valid pincode; '' stays ''; else a field error.

    Digits (with spaces or hyphens) are a pincode attempt and get the pincode message, anything
    else is a place name; both rules live in `pincodes` so every form treats input the same way.
    """
    text = " ".join((text or "").split())
    if not text:
        return ""
    if looks_like_pincode(text):
        pincode = normalize_pincode(text)
        if not is_valid_pincode(pincode):
            raise ValidationFailed({"pincode": "Enter a valid 6-digit Indian pincode."})
        return pincode
    found = pincode_for_locality(text, near=near)
    if found is None:
        raise ValidationFailed({"pincode": "We could not find that locality. Try its 6-digit pincode."})
    return found


def _bookable() -> Select:
    """Approved, active, available professionals of an active service."""
    return (
        select(User.id, User.full_name, User.pincode, ProfessionalProfile.service_id,
               ProfessionalProfile.experience_years, ProfessionalProfile.bio, ProfessionalProfile.rating_count,
               ProfessionalProfile.rating_sum, ProfessionalProfile.service_radius_km, Service.name)
        .join(ProfessionalProfile, ProfessionalProfile.user_id == User.id)  # type: ignore[arg-type]
        .join(Service, Service.id == ProfessionalProfile.service_id)  # type: ignore[arg-type]
        .where(at_work(), ProfessionalProfile.is_available == True, Service.is_active == True)  # noqa: E712
    )


def bookable_professional(*, session: Session, actor: Actor | None, user_id: int) -> ProfessionalCard | None:
    """One professional's card if they can be booked now (the booking form's 'preferred' line)."""
    require_actor(actor)
    row = session.exec(_bookable().where(User.id == user_id)).first()
    if row is None:
        return None
    return _card(row, None)


def _card(row: tuple, distance: float | None) -> ProfessionalCard:
    user_id, name, pincode, service_id, experience, bio, count, total, _radius, service_name = row
    return ProfessionalCard(
        user_id=user_id, full_name=name, service_id=service_id, service_name=service_name,
        experience_years=experience, bio=bio, rating_avg=round(total / count, 2) if count else 0.0,
        rating_count=count, locality=locality(pincode),
        distance_km=round(distance, 1) if distance is not None else None,
        score=rank_score(total, count, distance))


def search_professionals(*, session: Session, actor: Actor | None, service_id: int | None = None,
                         pincode: str = "", q: str = "", page: int = 1) -> list[ProfessionalCard]:
    """Approved, active, available professionals; within their service radius of `pincode` if given.

    `pincode` may also be a locality name ("Koramangala"), resolved offline to its pincode.
    """
    actor = require_actor(actor)
    me = session.get(User, actor.id)
    pincode = resolve_place(pincode, near=me.pincode if me else "")
    query = _bookable()
    if service_id:
        query = query.where(ProfessionalProfile.service_id == service_id)
    if q.strip():
        query = query.where(col(User.full_name).ilike(f"%{q.strip()[:50]}%"))
    origin = centroid(pincode) if pincode else None
    ranked: list[tuple[tuple, tuple, float | None]] = []
    for row in session.exec(query):  # plain tuples: no ORM objects for thousands of rows
        distance = None
        if origin is not None:
            here = centroid(row[2])
            distance = haversine_km(origin, here) if here else None
            if distance is None or distance > row[8]:
                continue
        key = (-rank_score(row[7], row[6], distance), round(distance or 0.0, 1), -row[6], row[0])
        ranked.append((key, row, distance))
    ranked.sort(key=lambda item: item[0])
    start = (max(page, 1) - 1) * PAGE_SIZE
    return [_card(row, distance) for _, row, distance in ranked[start:start + PAGE_SIZE]]

