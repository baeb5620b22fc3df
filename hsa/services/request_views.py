"""How a booking is shown to one viewer: `RequestView`, built for many rows in a fixed number of queries.

Kept apart from the use cases in `bookings` (which change requests) so that the board, the admin
search and the API build views the same way; private fields are blank for anyone who is not
the customer, the assigned professional or an admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, select

from hsa.models import ACTIVE, Payment, ProfessionalProfile, RequestStatus, Review, Role, Service, ServiceRequest, User
from hsa.models import utcnow as _utcnow
from hsa.services import scheduling
from hsa.services.actors import Actor
from hsa.services.pincodes import distance_km, locality
from hsa.services.process import engine, extras
from hsa.services.process.declaration import PROCESS
from hsa.services.process.facts import facts_for
from hsa.services.process.model import Process
from hsa.services.views import rupees
from hsa.settings import get_settings


@dataclass(frozen=True)
class RequestView:
    """One request as its viewer may see it; private fields are blank for others."""

    id: int
    service_name: str
    status: str
    scheduled_at: datetime
    when: str
    address: str
    pincode: str
    locality: str
    remarks: str
    price: str
    extra_charge: str
    extra_charge_reason: str
    total: str
    total_paise: int
    customer_name: str
    customer_phone: str
    professional_id: int | None
    professional_name: str
    professional_phone: str
    preferred_professional_name: str
    cancel_reason: str
    cancelled_by: str
    decline_reason: str
    paid: bool
    payment_method: str
    rating: int
    review: str
    distance_km: float | None
    timeline: list[tuple[str, str]] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    start_code: str = ""              # the customer's handshake code (their own view only)
    code_locked: bool = False         # too many wrong codes: the customer gets a new one
    completion_code: bool = False     # the service asks for the code at completion too
    pending_extra: str = ""           # an extra charge awaiting the customer's answer ("₹300")
    pending_extra_reason: str = ""
    reschedule_to: str = ""           # a proposed new time ("Wed 2 Dec, 11:00")
    reschedule_by: str = ""           # "customer" / "professional"
    start_opens: str = ""             # the assignee's hint while it is too early to start ("Thu 3 Dec, 07:00")


# ---------------------------------------------------------------- helpers


def build_views(session: Session, actor: Actor, rows: list[ServiceRequest], profile: ProfessionalProfile | None,
                *, now: datetime | None = None, process: Process = PROCESS) -> list[RequestView]:
    """Build views for many requests with a fixed number of queries (no N+1); `actions` are the
    declared transitions this viewer may take now (the page's buttons, the API's hint)."""
    if not rows:
        return []
    now = now or _utcnow()
    ids = [r.id for r in rows if r.id is not None]
    offers = extras.pending_ids(session, ids)
    user_ids = {u for r in rows for u in (r.customer_id, r.professional_id, r.preferred_professional_id,
                                          r.cancelled_by_id, r.reschedule_by_id) if u}
    users = {u.id: u for u in session.exec(select(User).where(User.id.in_(user_ids)))}  # type: ignore[union-attr]
    services = {s.id: s for s in session.exec(
        select(Service).where(Service.id.in_({r.service_id for r in rows})))}  # type: ignore[union-attr]
    payments = {p.request_id: p for p in session.exec(
        select(Payment).where(Payment.request_id.in_(ids), Payment.status == "paid"))}  # type: ignore[attr-defined]
    reviews = {v.request_id: v for v in session.exec(select(Review).where(Review.request_id.in_(ids)))}  # type: ignore[attr-defined]
    all_facts = facts_for(rows, paid=set(payments), pending=set(offers),  # one query each, shared with the facts
                          with_code={s_id for s_id, s in services.items() if s.completion_code})
    out = []
    for r in rows:
        assert r.id is not None
        insider = actor.is_admin or actor.id in (r.customer_id, r.professional_id)
        customer, pro = users.get(r.customer_id), users.get(r.professional_id or -1)
        preferred = users.get(r.preferred_professional_id or -1)
        pay, rev = payments.get(r.id), reviews.get(r.id)
        facts = all_facts[r.id]
        acts = engine.allowed_names(actor, facts, now, profile=profile, process=process)
        offer = offers.get(r.id)
        owner = actor.id == r.customer_id
        open_proposal = insider and r.reschedule_to is not None and r.reschedule_to > now  # a passed one is moot
        distance = None
        if actor.role is Role.professional and profile is not None:
            pro_user = users.get(actor.id) or session.get(User, actor.id)
            distance = distance_km(pro_user.pincode, r.pincode) if pro_user else None
        timeline = [(label, scheduling.local_label(t)) for label, t in (
            ("Booked", r.created_at), ("Accepted", r.assigned_at), ("Started", r.started_at),
            ("Completed", r.completed_at), ("Closed", r.closed_at), ("Cancelled", r.cancelled_at)) if t]
        out.append(RequestView(
            id=r.id, service_name=services[r.service_id].name, status=r.status.value,
            scheduled_at=r.scheduled_at, when=scheduling.local_label(r.scheduled_at),
            address=r.address if insider else "", pincode=r.pincode, locality=locality(r.pincode),
            remarks=r.remarks, price=rupees(r.price_paise), extra_charge=rupees(r.extra_charge_paise),
            extra_charge_reason=r.extra_charge_reason, total=rupees(r.price_paise + r.extra_charge_paise),
            total_paise=r.price_paise + r.extra_charge_paise,
            customer_name=(customer.full_name if insider else customer.full_name.split(" ")[0]) if customer else "",
            customer_phone=customer.phone if customer and insider else "",
            professional_id=r.professional_id, professional_name=pro.full_name if pro else "",
            professional_phone=pro.phone if pro and insider else "",
            preferred_professional_name=preferred.full_name if preferred else "",
            cancel_reason=r.cancel_reason,
            cancelled_by=_who(users.get(r.cancelled_by_id or -1), r) or (
                "HomeServe" if r.status is RequestStatus.cancelled else ""),
            decline_reason=r.decline_reason if insider or actor.id == r.declined_by_id else "",
            paid=pay is not None, payment_method=pay.method.value if pay else "",
            rating=rev.rating if rev else 0, review=rev.comment if rev else "",
            distance_km=round(distance, 1) if distance is not None else None,
            timeline=timeline, actions=acts,
            start_code=r.start_code if owner and (r.status is RequestStatus.assigned or (
                r.status in ACTIVE and facts.completion_code)) else "",
            code_locked=facts.code_locked and insider, completion_code=facts.completion_code,
            pending_extra=rupees(offer.amount_paise) if offer and insider else "",
            pending_extra_reason=offer.reason if offer and insider else "",
            reschedule_to=scheduling.local_label(r.reschedule_to) if open_proposal else "",
            reschedule_by=_who(users.get(r.reschedule_by_id or -1), r) if open_proposal else "",
            start_opens=_start_opens(r, actor, now),
        ))
    return out


def _who(user: User | None, req: ServiceRequest) -> str:
    if user is None:
        return ""
    if user.id == req.customer_id:
        return "customer"
    return "admin" if user.role is Role.admin else "professional"


def _start_opens(req: ServiceRequest, actor: Actor, now: datetime) -> str:
    """When the assignee may start an accepted job, while that is still ahead (else "")."""
    if req.status is not RequestStatus.assigned or req.professional_id != actor.id:
        return ""
    opens = req.scheduled_at - timedelta(hours=get_settings().early_start_hours)
    return scheduling.local_label(opens) if now < opens else ""
