"""How a booking is shown to one viewer: `RequestView`, built for many rows in a fixed number of queries.

Kept apart from the use cases in `bookings` (which change requests) so that the board, the admin
search and the API build views the same way; private fields are blank for anyone who is not
the customer, the assigned professional or an admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, select

from hsa.i18n.text import Joined, msg
from hsa.models import ACTIVE, FINISHED, ProfessionalProfile, RequestStatus, Review, Role, Service, ServiceRequest, User
from hsa.models import utcnow as _utcnow
from hsa.services import disputes, scheduling
from hsa.services.actors import Actor
from hsa.services.chat import is_open as chat_is_open
from hsa.services.money import invoices as invoice_docs
from hsa.services.money.payments import PAYABLE, MoneyState, money_states
from hsa.services.money.pricing import amount_due, bill, cancel_terms
from hsa.services.pincodes import distance_km, locality
from hsa.services.process import engine, extras
from hsa.services.process.declaration import PROCESS
from hsa.services.process.facts import facts_for
from hsa.services.process.model import Process, RequestFacts
from hsa.services.service_names import name_of
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
    service_id: int = 0
    professional_ref: int = 0         # the assigned professional's id for their public profile (0: none)
    rebook: bool = False              # the owner may "Book again" this professional (a finished job)
    start_code: str = ""              # the customer's handshake code (their own view only)
    code_locked: bool = False         # too many wrong codes: the customer gets a new one
    completion_code: bool = False     # the service asks for the code at completion too
    pending_extra: str = ""           # an extra charge awaiting the customer's answer ("₹300")
    pending_extra_reason: str = ""
    reschedule_to: str = ""           # a proposed new time ("Wed 2 Dec, 11:00")
    reschedule_by: str = ""           # "customer" / "professional"
    start_opens: str = ""             # the assignee's hint while it is too early to start ("Thu 3 Dec, 07:00")
    chat_open: bool = False           # the two parties may message each other (hsa.services.chat)
    can_dispute: bool = False         # the customer may report a problem (completed, within 7 days, none yet)
    dispute_status: str = ""          # "" (none), open, answered, decided
    dispute_reason: str = ""
    dispute_details: str = ""
    dispute_answer: str = ""
    dispute_outcome: str = ""         # "a refund of ₹200" …, with the admin's note beside it
    dispute_note: str = ""
    dispute_photo_url: str = ""       # the customer's photo (signed link), for both parties
    may_add_photo: bool = False       # the customer may add or replace it (not decided yet)
    bill: list[tuple[str, str]] = field(default_factory=list)  # the bill's lines (insiders only)
    paid_amount: str = ""             # "₹706.46" received so far
    balance: str = ""                 # "₹300" still owed (empty: nothing owed)
    balance_paise: int = 0
    can_pay: bool = False             # the customer may pay the balance online now
    payment_error: str = ""           # why the last online attempt failed (the order is still open)
    refund_note: str = ""             # "₹607.46 refunded" / "… being refunded"
    cancel_terms: str = ""            # what cancelling now would cost, shown before confirming
    earns: str = ""                   # the assigned professional's share of the bill, in words
    invoices: list[tuple[str, str]] = field(default_factory=list)  # (number, signed PDF link), parties only


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
    money = money_states(session, ids)
    reviews = {v.request_id: v for v in session.exec(select(Review).where(Review.request_id.in_(ids)))}  # type: ignore[attr-defined]
    paid = {i: m.paid_paise for i, m in money.items()}
    all_facts = facts_for(rows, paid=paid, pending=set(offers),  # one query each, shared with the facts
                          with_code={s_id for s_id, s in services.items() if s.completion_code})
    invoice_links = invoice_docs.links_by_request(session, actor, rows)
    complaints = disputes.views_for(session, actor, ids)
    out = []
    for r in rows:
        assert r.id is not None
        insider = actor.is_admin or actor.id in (r.customer_id, r.professional_id)
        customer, pro = users.get(r.customer_id), users.get(r.professional_id or -1)
        preferred = users.get(r.preferred_professional_id or -1)
        cash, rev = money.get(r.id, MoneyState()), reviews.get(r.id)
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
            id=r.id, service_name=name_of(services[r.service_id]), status=r.status.value,
            scheduled_at=r.scheduled_at, when=scheduling.local_label(r.scheduled_at),
            address=r.address if insider else "", pincode=r.pincode, locality=locality(r.pincode),
            remarks=r.remarks, price=rupees(r.price_paise), extra_charge=rupees(r.extra_charge_paise),
            extra_charge_reason=r.extra_charge_reason, total_paise=amount_due(r),
            total=rupees(amount_due(r)) if amount_due(r) or r.status is not RequestStatus.cancelled else "",
            customer_name=(customer.full_name if insider else customer.full_name.split(" ")[0]) if customer else "",
            # parties talk through the booking's chat (issue #17): only support sees numbers
            customer_phone=customer.phone if customer and actor.is_admin else "",
            professional_id=r.professional_id, professional_name=pro.full_name if pro else "",
            professional_phone=pro.phone if pro and actor.is_admin else "",
            preferred_professional_name=preferred.full_name if preferred else "",
            cancel_reason=r.cancel_reason,
            cancelled_by=_who(users.get(r.cancelled_by_id or -1), r) or (
                "HomeServe" if r.status is RequestStatus.cancelled else ""),
            decline_reason=r.decline_reason if insider or actor.id == r.declined_by_id else "",
            paid=cash.paid_paise > 0 and facts.paid, payment_method=cash.method,
            rating=rev.rating if rev else 0, review=rev.comment if rev else "",
            distance_km=round(distance, 1) if distance is not None else None,
            timeline=timeline, actions=acts, service_id=r.service_id, professional_ref=r.professional_id or 0,
            rebook=owner and r.status in FINISHED and bool(r.professional_id),
            start_code=r.start_code if owner and (r.status is RequestStatus.assigned or (
                r.status in ACTIVE and facts.completion_code)) else "",
            code_locked=facts.code_locked and insider, completion_code=facts.completion_code,
            pending_extra=rupees(offer.amount_paise) if offer and insider else "",
            pending_extra_reason=offer.reason if offer and insider else "",
            reschedule_to=scheduling.local_label(r.reschedule_to) if open_proposal else "",
            reschedule_by=_who(users.get(r.reschedule_by_id or -1), r) if open_proposal else "",
            start_opens=_start_opens(r, actor, now), invoices=invoice_links.get(r.id, []),
            chat_open=actor.id in (r.customer_id, r.professional_id) and chat_is_open(r, now),
            can_dispute=owner and r.id not in complaints and disputes.may_open(r, now),
            **_dispute_fields(complaints.get(r.id), owner=owner),
            **_money_fields(r, facts, cash, services[r.service_id], actor, now, insider=insider, owner=owner),
        ))
    return out


def _dispute_fields(d: disputes.DisputeView | None, *, owner: bool) -> dict:
    if d is None:
        return {}
    return {"dispute_status": d.status, "dispute_reason": d.reason, "dispute_details": d.details,
            "dispute_answer": d.answer, "dispute_outcome": d.outcome, "dispute_note": d.note,
            "dispute_photo_url": d.photo_url, "may_add_photo": owner and d.status != "decided"}


def _money_fields(r: ServiceRequest, facts: RequestFacts, cash: MoneyState, service: Service, actor: Actor,
                  now: datetime, *, insider: bool, owner: bool) -> dict:
    """The card's money lines: the bill, paid, owed, refunds, and the cancellation terms now."""
    if not insider:
        return {}
    owed = facts.balance_paise
    refund = ""
    if cash.refunded_paise:
        refund = msg("svc_booking.refund_pending" if cash.refund_pending else "svc_booking.refund_done",
                     amount=rupees(cash.refunded_paise))
    cancelled = r.status is RequestStatus.cancelled
    lines = bill(r, service.base_price_paise).lines() if not cancelled else (
        [(msg("svc_booking.bill_cancel_fee"), rupees(r.cancel_fee_paise))] if r.cancel_fee_paise else [])
    earns = ""
    if actor.id == r.professional_id and not cancelled:
        share = bill(r).professional_paise
        earns = msg("svc_booking.you_earn", amount=rupees(share), commission=f"{r.commission_bps / 100:g}")
    return {
        "bill": lines, "paid_amount": rupees(cash.received_paise) if cash.received_paise else "",
        "balance": rupees(owed) if owed > 0 else "", "balance_paise": max(owed, 0),
        "can_pay": owner and owed > 0 and r.status in PAYABLE and not facts.pending_extra,
        "payment_error": cash.error if owner else "", "refund_note": refund, "earns": earns,
        "cancel_terms": _cancel_words(r, service, cash, now) if owner and r.status in (
            RequestStatus.requested, RequestStatus.assigned) else "",
    }


def _cancel_words(r: ServiceRequest, service: Service, cash: MoneyState, now: datetime) -> str:
    """What cancelling now costs, and what of the money paid comes back (the form says it first)."""
    terms = cancel_terms(r, service, now=now, by_customer=True)
    back = cash.paid_paise - terms.fee_paise
    if back <= 0:
        return terms.reason
    return Joined(terms.reason, msg("svc_booking.cancel_money_back", amount=rupees(back)))  # each said per reader


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
