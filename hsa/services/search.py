"""Find professionals: filter, measure, rank and page in SQL by a shrunk (Bayesian) rating and distance.

See docs/ranking.md for the formula and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Numeric,
    bindparam,
    case,
    cast,
    func,
    join,
    literal_column,
)
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from hsa.i18n.text import msg
from hsa.models import ProfessionalProfile, Service, User
from hsa.services import geo
from hsa.services.actors import Actor
from hsa.services.errors import ValidationFailed
from hsa.services.geo import as_float
from hsa.services.permissions import at_work, require_actor
from hsa.services.pincodes import (
    centroid,
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
PROBE_FACTOR = 10     # the rating floor is taken from the best 10 x (page end) profiles by shrunk rating


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
    price_paise: int        # what booking them costs: their own price within today's band, else the base
    base_price_paise: int   # the service's base price, shown beside a price of their own


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
            raise ValidationFailed({"pincode": msg("svc_account.bad_pincode")})
        return pincode
    found = pincode_for_locality(text, near=near)
    if found is None:
        raise ValidationFailed({"pincode": msg("svc_booking.locality_unknown")})
    return found


def _price_sql() -> ColumnElement[int]:
    """`pricing.price_of` as SQL, evaluated on the rows the search already joins (no extra
    lookup): the own price clamped into [low, high], else the base. The same integer operations
    as `pricing.band` (ceil for the low end, floor for the high end, both to whole rupees; all
    operands are non-negative, so SQL's truncating division floors); BIGINT because base x pct
    can pass 2^31 on PostgreSQL."""
    base = cast(Service.base_price_paise, BigInteger)
    low = (base * Service.min_price_pct + 9_999) // 10_000 * 100
    high = case((base * Service.max_price_pct // 10_000 * 100 < low, low),
                else_=base * Service.max_price_pct // 10_000 * 100)
    own = col(ProfessionalProfile.price_paise)
    return case((own.is_(None), base), (own < low, low), (own > high, high), else_=own)


def _bookable(*extra: ColumnElement, profiles_first: bool = False) -> Select:
    """Approved, active, available professionals of an active service (plus `extra` columns).

    `profiles_first`: read professional_profiles before users (`geo.pros_then_users`); otherwise
    the database picks, and around a pincode it starts from the professionals' coordinates
    (`ix_users_pro_location`).
    """
    start = (geo.pros_then_users() if profiles_first
             else join(ProfessionalProfile, User, col(User.id) == col(ProfessionalProfile.user_id)))
    return (
        select(User.id, User.full_name, User.pincode, ProfessionalProfile.service_id,
               ProfessionalProfile.experience_years, ProfessionalProfile.bio, ProfessionalProfile.rating_count,
               ProfessionalProfile.rating_sum, ProfessionalProfile.service_radius_km, Service.name,
               Service.base_price_paise, _price_sql().label("price_paise"), *extra)
        .select_from(start)
        .join(Service, Service.id == ProfessionalProfile.service_id)  # type: ignore[arg-type]
        .where(at_work(), ProfessionalProfile.is_available == True, Service.is_active == True)  # noqa: E712
    )


def bookable_professional(*, session: Session, actor: Actor | None, user_id: int) -> ProfessionalCard | None:
    """One professional's card if they can be booked now (the booking form's 'preferred' line)."""
    require_actor(actor)
    return card_of(session, user_id)


def card_of(session: Session, user_id: int) -> ProfessionalCard | None:
    """The card of a bookable professional (their public profile shows it to guests too)."""
    row = session.exec(_bookable().where(User.id == user_id)).first()
    return None if row is None else _card(row, None)


def bookable_cards(*, session: Session, actor: Actor | None, user_ids: set[int], pincode: str = "",
                   service_id: int | None = None) -> list[ProfessionalCard]:
    """The cards search would show of these professionals around `pincode`: the same filters (bookable,
    within their radius; no place known: no radius), for callers that pick by other means (recommendations)."""
    require_actor(actor)
    if not user_ids:
        return []
    origin = centroid(pincode) if pincode else None
    distance = geo.distance_sql() if origin else as_float(0.0)
    query = _bookable(distance.label("distance")).where(col(User.id).in_(sorted(user_ids)))
    if service_id:
        query = query.where(ProfessionalProfile.service_id == service_id)
    if origin:
        query = query.where(geo.within(distance, col(ProfessionalProfile.service_radius_km)))
    rows = session.exec(query, params=geo.origin_params(origin) if origin else {})
    return [_card(row[:12], row[12] if origin else None) for row in rows]


def _card(row: tuple, distance: float | None) -> ProfessionalCard:
    user_id, name, pincode, service_id, experience, bio, count, total, _radius, service_name, base, price = row
    return ProfessionalCard(
        user_id=user_id, full_name=name, service_id=service_id, service_name=service_name,
        experience_years=experience, bio=bio, rating_avg=round(total / count, 2) if count else 0.0,
        rating_count=count, locality=locality(pincode),
        distance_km=round(distance, 1) if distance is not None else None,
        score=rank_score(total, count, distance), price_paise=int(price), base_price_paise=int(base))


# `bayes_rating` as SQL: the same operations in the same order, so equal inputs give equal floats
# (CAST: PostgreSQL would do 40.0 in NUMERIC). Literal, not bound, so that it is the expression of
# the index ix_professional_profiles_shrunk_rating, which lets the probe and the floor seek on it.
SHRUNK_RATING_SQL = (f"(CAST({PRIOR_MEAN * PRIOR_WEIGHT!r} AS DOUBLE PRECISION) + professional_profiles.rating_sum)"
                     f" / ({PRIOR_WEIGHT} + professional_profiles.rating_count)")


def _bayes_sql() -> ColumnElement[float]:
    return literal_column(SHRUNK_RATING_SQL, Float)


_CARD = ("id", "full_name", "pincode", "service_id", "experience_years", "bio", "rating_count", "rating_sum",
         "service_radius_km", "name", "base_price_paise", "price_paise")


@lru_cache(maxsize=64)
def _statement(*, sqlite: bool, near: bool, service: bool, named: bool, floor: bool, probe: bool) -> Select:
    """The search statement for one combination of filters, built once (building it per call cost
    more than running it). Values come as parameters: `geo.origin_params`, service_id, name,
    floor, and page_limit / page_offset or, for the probe, probe_size / probe_rank.

    The inner query measures each candidate once (OFFSET 0 keeps SQLite and PostgreSQL from
    merging it into the outer one, which would compute the distance again for WHERE, score and
    ORDER BY); the outer one keeps those within their own radius, scores, orders and pages them.
    """
    bayes = _bayes_sql()
    distance = geo.distance_sql() if near else as_float(0.0)
    # Profiles first when the rating index picks a few of them (floor, probe) or there is no box to
    # seek; around a place without a floor, the box on ix_users_pro_location is the better start.
    inner = _bookable(bayes.label("bayes"), distance.label("distance"), profiles_first=floor or probe or not near)
    if near:
        inner = inner.where(geo.in_box())
    if service:
        inner = inner.where(ProfessionalProfile.service_id == bindparam("service_id"))
    if named:  # SQLite's LIKE ignores ASCII case, as its lower() (ilike there) does, without 2 calls a row
        name = col(User.full_name)
        inner = inner.where(name.like(bindparam("name")) if sqlite else name.ilike(bindparam("name")))
    if floor or probe:  # profiles by shrunk rating, through its index (see _floor)
        ids = select(ProfessionalProfile.id)
        if service:
            ids = ids.where(ProfessionalProfile.service_id == bindparam("service_id"))
        if floor:
            ids = ids.where(bayes >= bindparam("floor", type_=Float))
        else:
            ids = ids.where(ProfessionalProfile.is_available == True).order_by(  # noqa: E712
                bayes.desc()).limit(bindparam("probe_size"))
        inner = inner.where(col(ProfessionalProfile.id).in_(ids))
    c = inner.offset(0).subquery("candidates").c
    score = (c.bayes - c.distance / as_float(KM_PER_STAR)).label("score")
    query = select(*(c[name] for name in _CARD), score, c.distance)
    if near:
        query = query.where(geo.within(c.distance, c.service_radius_km))
    if probe:
        return query.with_only_columns(score).order_by(score.desc()).offset(bindparam("probe_rank")).limit(1)
    return (query.order_by(score.desc(), func.round(cast(c.distance, Numeric), 1), c.rating_count.desc(), c.id)
            .offset(bindparam("page_offset")).limit(bindparam("page_limit")))


def _floor(session: Session, flags: dict[str, bool], params: dict[str, object], need: int) -> float | None:
    """A score the `need`-th best match surely reaches, or None: the best PROBE_FACTOR x `need`
    profiles by shrunk rating alone (an index walk), scored in full; the `need`-th best of those
    is a lower bound, since they are matches too.

    Distance only lowers a score (score <= shrunk rating), so nobody rated below that bound can
    make the page: the real query skips them through the same index before looking up a user or
    a distance (10,000 pros in reach: ~300 are left, and the result is exactly the same). Fewer
    than `need` of them qualifying (a rare name, the best pros far away) gives None, and the
    real query ranks every match.
    """
    probe = _statement(**flags, floor=False, probe=True)
    row = session.exec(probe, params={**params, "probe_size": PROBE_FACTOR * need, "probe_rank": need - 1}).first()
    return None if row is None else row[0]


def search_professionals(*, session: Session, actor: Actor | None, service_id: int | None = None,
                         pincode: str = "", q: str = "", page: int = 1) -> list[ProfessionalCard]:
    """Approved, active, available professionals; within their service radius of `pincode` if given.

    `pincode` may also be a locality name ("Koramangala"), resolved offline to its pincode (the
    actor's own pincode breaks ties between towns of one name, so it is read only for names).
    Filtering, distance, ranking and the page all happen in SQL: see docs/ranking.md.
    """
    actor = require_actor(actor)
    text = " ".join((pincode or "").split())
    near = ""
    if text and not looks_like_pincode(text):
        me = session.get(User, actor.id)
        near = me.pincode if me else ""
    origin = centroid(resolve_place(text, near=near)) if text else None
    name = q.strip()[:50]
    flags = {"sqlite": session.get_bind().dialect.name == "sqlite", "near": origin is not None,
             "service": bool(service_id), "named": bool(name)}
    params: dict[str, object] = {**(geo.origin_params(origin) if origin else {}), "service_id": service_id,
                                 "name": f"%{name}%"}
    start = (max(page, 1) - 1) * PAGE_SIZE
    geo.plan_for_these_values(session)
    floor = _floor(session, flags, params, start + PAGE_SIZE)
    query = _statement(**flags, floor=floor is not None, probe=False)
    rows = session.exec(query, params={**params, "floor": floor, "page_offset": start, "page_limit": PAGE_SIZE})
    return [_card(row[:12], row[13] if origin else None) for row in rows]
