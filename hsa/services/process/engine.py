"""Applying one declared transition to one request: the only way any caller changes a booking.

The order is fixed and the same for every action: find the transition, lock the row, hide what
the actor may not see, check source status, role and party, guards, then run the effects in
their declared order, set the target status and its timestamp, send the declared notices,
audit, remember the idempotency key, commit once. A refused move raises and writes nothing
(except a `KeptFailure`'s own record, e.g. a wrong start code counting as a try: such moves run
their effects in a SAVEPOINT, so the record is written under the same row lock as the check).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session, select

from hsa.i18n import DEFAULT
from hsa.i18n.catalog import messages
from hsa.i18n.text import msg
from hsa.models import ACTIVE, ProfessionalProfile, RequestStatus, Role, ServiceRequest, User, UserStatus
from hsa.observability.metrics import BOOKING_TRANSITIONS
from hsa.services import audit, idempotency, tracking
from hsa.services.actors import Actor
from hsa.services.errors import Conflict, Forbidden, InvalidTransition, NotFound
from hsa.services.permissions import can_view, may_take, offered_to, require_role
from hsa.services.process import notices
from hsa.services.process.context import KeptFailure, Move, keeps_failures
from hsa.services.process.declaration import PROCESS
from hsa.services.process.effects import ALREADY_TAKEN, NO_LONGER_OPEN
from hsa.services.process.facts import load_facts
from hsa.services.process.guards import refusal
from hsa.services.process.model import Process, RequestFacts, Transition

log = logging.getLogger(__name__)
SYSTEM = Actor(id=0, role=Role.admin, full_name="HomeServe")  # the clock; never resolvable from a session


def pro_profile(session: Session, actor: Actor | None) -> ProfessionalProfile | None:
    if actor is None or actor.role is not Role.professional:
        return None
    return session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == actor.id)).first()


def pro_pincode(session: Session, profile: ProfessionalProfile | None) -> str:
    if profile is None:
        return ""
    return session.exec(select(User.pincode).where(User.id == profile.user_id)).first() or ""


def allowed(actor: Actor | None, t: Transition, facts: RequestFacts, now: datetime, *,
            profile: ProfessionalProfile | None) -> bool:
    """Would this actor be offered `t` on a request with these facts? (Buttons, the API's list.)"""
    if actor is None or facts.status not in t.sources:
        return False
    if not may_take(actor, facts, t.parties, pro_service_id=profile.service_id if profile else None,
                    pro_available=profile.is_available if profile else False):
        return False
    return all(guard.check(actor, facts, now) for guard in t.guards if guard.shown)


def allowed_names(actor: Actor | None, facts: RequestFacts, now: datetime, *, profile: ProfessionalProfile | None,
                  process: Process = PROCESS) -> list[str]:
    return [t.name for t in process.transitions if t.ui.shown and allowed(actor, t, facts, now, profile=profile)]


def _load(session: Session, request_id: int) -> ServiceRequest:
    """The row, locked, as it is now: `populate_existing` so an object the session already holds
    (a caller's earlier read) is refreshed, not trusted (a count a concurrent try moved, say)."""
    req = session.exec(select(ServiceRequest).where(ServiceRequest.id == request_id).with_for_update()
                       .execution_options(populate_existing=True)).first()
    if req is None:
        raise NotFound("request")
    return req


def _closed_customer(session: Session, req: ServiceRequest) -> bool:
    """Is the customer blocked or deleted? Their requests are withdrawn then; this refuses any that slipped by."""
    return session.exec(select(User.status).where(User.id == req.customer_id)).first() != UserStatus.active


def _word(kind: str, name: str, english: str) -> str:
    """A transition's past tense or action word as a catalog message (svc_booking.past_accept),
    or its English word when the catalog has none (a newly declared transition)."""
    key = f"svc_booking.{kind}_{name}"
    return msg(key) if key in messages(DEFAULT) else english


def _check(session: Session, actor: Actor, req: ServiceRequest, t: Transition, facts: RequestFacts,
           profile: ProfessionalProfile | None, pincode: str, now: datetime) -> None:
    """Raise the right refusal: hidden → NotFound, taken → Conflict, wrong status → InvalidTransition."""
    if t.name == "accept":
        if _closed_customer(session, req):
            raise NotFound("request")  # a blocked or deleted customer's booking is gone, not "taken"
        # "Taken" only to a professional it was offered to: to anyone else it would confirm that a
        # job exists (another service, out of their radius, addressed to someone else).
        if req.status is not RequestStatus.requested and profile is not None \
                and offered_to(actor, req, profile, pincode):
            raise Conflict(ALREADY_TAKEN if req.professional_id else NO_LONGER_OPEN)
    if not can_view(actor, req, profile, pro_pincode=pincode):
        raise NotFound("request")
    if req.status not in t.sources:
        status = msg(f"svc_booking.status_{req.status.value}")
        raise InvalidTransition(msg("svc_booking.cannot_from_status", status=status,
                                    past=_word("past", t.name, t.ui.past)))
    if not may_take(actor, facts, t.parties, pro_service_id=profile.service_id if profile else None,
                    pro_available=profile.is_available if profile else False):
        if t.name == "accept" and profile is not None and not profile.is_available:
            raise Forbidden(msg("svc_booking.turn_on_availability"))
        raise Forbidden(msg("svc_booking.cannot_do", action=_word("action", t.name, t.ui.label.lower())))
    for guard in t.guards:
        if not guard.check(actor, facts, now):
            raise InvalidTransition(refusal(guard))


def run_effects(move: Move) -> list[tuple[int, str, str]]:
    """Effects in order, then status, stamp and notices: shared by people's moves and the clock's."""
    t, req, now = move.transition, move.req, move.now
    for effect in t.effects:
        effect(move)
    req.status = t.target_from(req.status)
    if t.stamp:
        setattr(req, t.stamp, now)
    req.updated_at = now
    move.session.add(req)
    if req.status not in ACTIVE:
        tracking.forget(move.session, req.id)  # privacy: a position is kept only while the job is live
    words = notices.base_words(move.session, req, move.actor.full_name) | move.words
    sent = [] if move.quiet else notices.send(
        move.session, req=req, notices=t.notices, words=words, actor_id=None if move.system else move.actor.id,
        by_admin=move.actor.is_admin, now=now)
    audit.record(session=move.session, actor_id=None if move.system else move.actor.id,
                 action=f"request.{t.name}", target_type="request", target_id=req.id, status=req.status.value)
    return sent


def apply(*, session: Session, actor: Actor | None, request_id: int, action: str, data: dict | None = None,
          now: datetime, idempotency_key: str | None = None, process: Process = PROCESS) -> bool:
    """Apply `action`; returns True when this call committed a change (False: a safe repeat)."""
    actor = require_role(actor, Role.customer, Role.professional, Role.admin)
    t = process.get(str(action))
    if t is None or not t.parties:
        raise InvalidTransition(msg("svc_booking.no_such_action"))
    key, scope = idempotency.clean(idempotency_key), f"request:{request_id}:{t.name}"
    req = _load(session, request_id)
    profile = pro_profile(session, actor)
    pincode = pro_pincode(session, profile)
    already_mine = t.name == "accept" and req.status is RequestStatus.assigned and req.professional_id == actor.id
    if already_mine or idempotency.replay(session, actor, scope, key, now=now) is not None:
        if not can_view(actor, req, profile, pro_pincode=pincode):
            raise NotFound("request")
        return False
    facts = load_facts(session, [req])[request_id]
    _check(session, actor, req, t, facts, profile, pincode, now)
    move = Move(session=session, actor=actor, req=req, data=dict(data or {}), now=now, transition=t, facts=facts)
    try:
        if keeps_failures(t):
            # SAVEPOINT, not ROLLBACK: undoing the move must not release the row lock, or tries
            # queued on it would read the count before this one is added and guess past the limit.
            with session.begin_nested():
                run_effects(move)
        else:
            run_effects(move)
    except KeptFailure as kept:
        if not keeps_failures(t):
            session.rollback()  # an unmarked effect kept a failure: undo it all (the lock goes with it)
        kept.record(session)  # still under the row lock taken by _load
        session.commit()
        raise kept.error from None
    idempotency.remember(session, actor, scope, key, request_id, now=now)
    replayed = idempotency.committed(session, actor, scope, key, session.commit, lambda _: True)
    BOOKING_TRANSITIONS.labels(action=t.name).inc(0 if replayed else 1)  # moves this call committed
    if not replayed:
        after_commit(session, move)
    return not replayed


def after_commit(session: Session, move: Move) -> None:
    """Run what the move left for after its commit; a failure is logged and retried by the
    reconciliation pass (the committed move stands)."""
    for job in move.after_commit:
        try:
            job(session)
        except Exception:  # noqa: BLE001 - the move is committed; the reconciler retries the job
            session.rollback()
            log.exception("after-commit job %s failed for request %s", getattr(job, "__name__", job), move.req.id)
