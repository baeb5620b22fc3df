"""Recommended professionals for one customer: "Book again" first, then what similar customers
nearby chose, blended with the search ranking; each with the reason shown beside it.

Eligibility is search's, never our own: every suggestion is a card that `search` would show
this customer (approved, active, on duty and not paused by quality control, of an active
service, within the professional's radius of the customer's pincode). The learning is in
`recommend_model` (pure, shared with bench/recommend_eval.py); this module reads the bookings,
caches the fitted model and words the reasons. See docs/recommendations.md.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func
from sqlmodel import Session, col, select

from hsa.models import FINISHED, Review, Role, ServiceRequest, User
from hsa.services import search
from hsa.services.actors import Actor
from hsa.services.errors import ValidationFailed
from hsa.services.intelligence import recommend_model as rm
from hsa.services.permissions import require_role

MAX_LIMIT = 10


@dataclass(frozen=True)
class Recommendation:
    card: search.ProfessionalCard
    reason: str          # "You rated Ravi 5★", "Popular with customers in 560034", ...
    kind: str            # recommend_model.Reason's value
    book_again: bool     # the customer has booked them before


_lock = threading.Lock()
_cache: dict[str, tuple[tuple, rm.Model]] = {}  # database URL -> (fingerprint, model)


def _fingerprint(session: Session) -> tuple:
    """Changes whenever a booking finishes or a review is written or hidden (cheap: aggregates on indexed columns)."""
    done = session.exec(select(func.count(), func.max(ServiceRequest.completed_at), func.max(ServiceRequest.closed_at))
                        .where(col(ServiceRequest.status).in_(FINISHED))).one()
    reviews = session.exec(select(func.count(), func.max(Review.id), func.count(col(Review.hidden_at)))).one()
    return (*done, *reviews)


def booking_log(session: Session) -> rm.BookingLog:
    """Every finished booking with its (visible) rating and pincode, oldest first."""
    rows = session.exec(
        select(ServiceRequest.customer_id, ServiceRequest.professional_id, Review.rating, ServiceRequest.pincode)
        .outerjoin(Review, (col(Review.request_id) == col(ServiceRequest.id)) & col(Review.hidden_at).is_(None))
        .where(col(ServiceRequest.status).in_(FINISHED), col(ServiceRequest.professional_id).is_not(None))
        .order_by(col(ServiceRequest.completed_at), col(ServiceRequest.id))).all()
    return rm.BookingLog(customer=np.array([r[0] for r in rows], dtype=np.int64),
                         pro=np.array([r[1] for r in rows], dtype=np.int64),
                         rating=np.array([r[2] or 0 for r in rows], dtype=np.int64),
                         pincode=[r[3] for r in rows])


def current_model(session: Session) -> rm.Model:
    """The model fitted on the bookings as they are now; refitted only when they changed."""
    key = str(session.get_bind().engine.url)
    mark = _fingerprint(session)
    with _lock:
        cached = _cache.get(key)
    if cached is not None and cached[0] == mark:
        return cached[1]
    model = rm.fit(booking_log(session))
    with _lock:
        _cache[key] = (mark, model)
    return model


def _first_name(name: str) -> str:
    return (name or "").split(" ")[0] or "them"


def _reason(pick: rm.Pick, card: search.ProfessionalCard, names: dict[int, str], pincode: str) -> str:
    if pick.reason is rm.Reason.book_again:
        return f"You rated {_first_name(card.full_name)} {pick.rating}★"
    if pick.reason is rm.Reason.past:
        return f"You booked {_first_name(card.full_name)} before"
    if pick.reason is rm.Reason.similar and pick.anchor in names:
        return f"Customers who booked {_first_name(names[pick.anchor])} also chose them"
    if pick.reason is rm.Reason.local and pincode:
        return f"Popular with customers in {pincode}"
    return "Highly rated near you"


def recommended_for(*, session: Session, actor: Actor | None, service_id: int | None = None,
                    limit: int = 5) -> list[Recommendation]:
    """Up to `limit` professionals this customer can book now, best first, each with why.

    Cold start (no bookings of theirs, nothing popular in their pincode): the search ranking's top.
    """
    actor = require_role(actor, Role.customer)
    limit = max(1, min(limit, MAX_LIMIT))
    me = session.get(User, actor.id)
    pincode = me.pincode if me is not None else ""
    try:
        ranked = search.search_professionals(session=session, actor=actor, service_id=service_id, pincode=pincode)
    except ValidationFailed:  # a pincode we cannot place: rank without distance, as search would
        pincode = ""
        ranked = search.search_professionals(session=session, actor=actor, service_id=service_id)
    model = current_model(session)
    wanted = rm.candidate_ids(model, customer=actor.id, pincode=pincode) - {c.user_id for c in ranked}
    cards = {c.user_id: c for c in [*ranked, *search.bookable_cards(
        session=session, actor=actor, user_ids=wanted, pincode=pincode, service_id=service_id)]}
    candidates = [rm.Candidate(c.user_id, c.score) for c in cards.values()]
    picks = rm.recommend(model, customer=actor.id, pincode=pincode, candidates=candidates, limit=limit)
    anchors = {p.anchor for p in picks if p.reason is rm.Reason.similar and p.anchor is not None}
    names = dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(anchors))).all()) \
        if anchors else {}
    history = model.history.get(actor.id, {})
    return [Recommendation(card=cards[p.pro_id], reason=_reason(p, cards[p.pro_id], names, pincode),
                           kind=p.reason.value, book_again=p.pro_id in history) for p in picks]
