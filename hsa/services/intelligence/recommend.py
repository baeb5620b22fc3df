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
import time
from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy import func
from sqlmodel import Session, col, select

from hsa.i18n.text import msg
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


# A busy city finishes bookings every minute; refitting on each change would spend a core on it. A process
# spends at most 1/FIT_SHARE of its time fitting (wait FIT_SHARE x the last fit's duration) and never waits
# longer than MAX_STALE_SECONDS: 16,000 bookings fit in 0.15 s -> fresh within 3 s; a million in ~10 s -> 200 s.
FIT_SHARE = 20
MAX_STALE_SECONDS = 300.0

_lock = threading.Lock()
_cache: dict[str, _Fit] = {}        # database URL -> the latest fit
_fitting: set[str] = set()          # database URLs being refitted right now (one thread each)


@dataclass(frozen=True)
class _Fit:
    mark: tuple
    model: rm.Model
    at: float                       # time.monotonic() when fitted
    took: float                     # seconds the fit took

    def fresh(self, now: float) -> bool:
        return now - self.at < min(MAX_STALE_SECONDS, FIT_SHARE * self.took)


def _fingerprint(session: Session) -> tuple:
    """Changes whenever a booking finishes or a review is written or hidden (cheap: aggregates on indexed columns)."""
    done = session.exec(select(func.count(), func.max(ServiceRequest.completed_at), func.max(ServiceRequest.closed_at))
                        .where(col(ServiceRequest.status).in_(FINISHED))).one()
    reviews = session.exec(select(func.count(), func.max(Review.id), func.count(col(Review.hidden_at)))).one()
    return (*done, *reviews)


def booking_log(session: Session, *, customer_id: int | None = None) -> rm.BookingLog:
    """Every finished booking (or one customer's) with its (visible) rating and pincode, oldest first."""
    query = (select(ServiceRequest.customer_id, ServiceRequest.professional_id, Review.rating, ServiceRequest.pincode)
             .outerjoin(Review, (col(Review.request_id) == col(ServiceRequest.id)) & col(Review.hidden_at).is_(None))
             .where(col(ServiceRequest.status).in_(FINISHED), col(ServiceRequest.professional_id).is_not(None)))
    if customer_id is not None:
        query = query.where(ServiceRequest.customer_id == customer_id)
    rows = session.exec(query.order_by(col(ServiceRequest.completed_at), col(ServiceRequest.id))).all()
    return rm.BookingLog(customer=np.array([r[0] for r in rows], dtype=np.int64),
                         pro=np.array([r[1] for r in rows], dtype=np.int64),
                         rating=np.array([r[2] or 0 for r in rows], dtype=np.int64),
                         pincode=[r[3] for r in rows])


def current_model(session: Session, *, now: float | None = None) -> rm.Model:
    """The shared fit (similar professionals, pincode favourites), refitted when the bookings changed, by one
    thread at a time and no sooner than `_Fit.fresh` allows: page loads never queue behind a refit once a fit
    exists (they get the previous one). `now` is a time.monotonic() reading."""
    key = str(session.get_bind().engine.url)
    now = time.monotonic() if now is None else now
    with _lock:
        cached = _cache.get(key)
        if cached is not None and (cached.fresh(now) or key in _fitting):
            return cached.model
        _fitting.add(key)
    try:
        mark = _fingerprint(session)
        if cached is not None and cached.mark == mark:
            fit = replace(cached, at=now)           # unchanged: good for another interval
        else:
            started = time.perf_counter()
            model = rm.fit(booking_log(session))
            fit = _Fit(mark, model, now, time.perf_counter() - started)
        with _lock:
            _cache[key] = fit
        return fit.model
    finally:
        with _lock:
            _fitting.discard(key)


def model_for(session: Session, *, customer_id: int, now: float | None = None) -> rm.Model:
    """The shared fit with this customer's own history read now, so a booking they finished a minute ago
    is "Book again" at once even while the shared fit is a little older (one indexed query)."""
    shared = current_model(session, now=now)
    mine = rm.histories(booking_log(session, customer_id=customer_id)).get(customer_id, {})
    return replace(shared, history={customer_id: mine})


def _first_name(name: str) -> str:
    return (name or "").split(" ")[0] or msg("svc_booking.rec_them")


def _reason(pick: rm.Pick, card: search.ProfessionalCard, names: dict[int, str], pincode: str) -> str:
    """Why this professional is suggested: a message, said in the customer's language."""
    if pick.reason is rm.Reason.book_again:
        return msg("svc_booking.rec_you_rated", name=_first_name(card.full_name), rating=pick.rating)
    if pick.reason is rm.Reason.past:
        return msg("svc_booking.rec_booked_before", name=_first_name(card.full_name))
    if pick.reason is rm.Reason.similar and pick.anchor in names:
        return msg("svc_booking.rec_similar", name=_first_name(names[pick.anchor]))
    if pick.reason is rm.Reason.local and pincode:
        return msg("svc_booking.rec_local", pincode=pincode)
    return msg("svc_booking.rec_top_rated")


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
    model = model_for(session, customer_id=actor.id)
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
