"""What "Download my data" holds: one section per kind of row about the person, each a query that
can only reach that person's rows (DPDP Act 2023 §11, GDPR art. 15 and 20).

Each section names its columns, so a model that grows a column (a password hash, a start code, a
token) does not slip into an archive. The other party of a booking appears by first name only, as
on the booking card; their phone, email and address never do. `COVERED` says, for every table that
points at a user, which section carries it or why it is left out — tests/services/test_my_data.py
fails when a table is added without a decision here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from hsa.models import (
    AuditLog,
    AuthSession,
    AvailabilityOverride,
    ChatMessage,
    Dispute,
    ExtraCharge,
    Favourite,
    Invoice,
    JobLocation,
    LedgerEntry,
    Notification,
    Payment,
    Payout,
    ProfessionalProfile,
    QualityStanding,
    Refund,
    ReminderSent,
    Report,
    Review,
    Service,
    ServiceRequest,
    Strike,
    User,
)
from hsa.services.availability import weekly_texts
from hsa.services.notifications import first_name
from hsa.services.pro_profiles import language_names
from hsa.services.scheduling import IST

Row = dict[str, Any]


def when(moment: datetime | None) -> str | None:
    """IST ISO 8601 to the second, or None (JSON null) when it never happened."""
    return moment.astimezone(IST).isoformat(timespec="seconds") if moment else None


def _mine(session: Session, user_id: int) -> list[int]:
    """The bookings the person is the customer or the assigned professional of."""
    return list(session.exec(select(ServiceRequest.id).where(
        or_(ServiceRequest.customer_id == user_id, ServiceRequest.professional_id == user_id))))


def _as_customer(session: Session, user_id: int) -> list[int]:
    return list(session.exec(select(ServiceRequest.id).where(ServiceRequest.customer_id == user_id)))


def account(session: Session, user_id: int) -> list[Row]:
    u = session.get(User, user_id)
    if u is None:
        return []
    return [{"id": u.id, "full_name": u.full_name, "email": u.email, "phone": u.phone, "address": u.address,
             "pincode": u.pincode, "role": str(u.role), "status": str(u.status),
             "email_verified_at": when(u.email_verified_at), "phone_verified_at": when(u.phone_verified_at),
             "created_at": when(u.created_at), "updated_at": when(u.updated_at)}]


def professional_profile(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(ProfessionalProfile, Service.name).join(
        Service, Service.id == ProfessionalProfile.service_id).where(  # type: ignore[arg-type]
        ProfessionalProfile.user_id == user_id)).all()
    return [{"service": name, "experience_years": p.experience_years, "bio": p.bio,
             "service_radius_km": p.service_radius_km, "own_price_paise": p.price_paise,
             "available": p.is_available, "approval_status": str(p.approval_status),
             "approval_reason": p.approval_reason, "id_document": p.doc_original_name,
             "id_document_uploaded_at": when(p.doc_uploaded_at), "rating_count": p.rating_count,
             "rating_sum": p.rating_sum, "weekly_hours": list(weekly_texts(p.weekly_hours)),
             "buffer_minutes": p.buffer_minutes, "books_days_ahead": p.horizon_days,
             "languages": list(language_names(p.languages)), "photo": bool(p.photo_stored_name)} for p, name in rows]


def favourites(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(Favourite, User.full_name).join(User, col(User.id) == Favourite.professional_id)
                        .where(Favourite.customer_id == user_id).order_by(col(Favourite.id))).all()
    return [{"professional": name, "saved_at": when(f.created_at)} for f, name in rows]


def days_off(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(AvailabilityOverride).where(AvailabilityOverride.user_id == user_id)
                        .order_by(col(AvailabilityOverride.day))).all()
    return [{"day": o.day.isoformat(), "hours": o.hours or "off all day"} for o in rows]


def bookings(session: Session, user_id: int) -> list[Row]:
    r, customer, pro = ServiceRequest, aliased(User), aliased(User)
    rows = session.exec(
        select(r, Service.name, customer.full_name, pro.full_name)
        .join(Service, Service.id == r.service_id)  # type: ignore[arg-type]
        .join(customer, customer.id == r.customer_id)  # type: ignore[arg-type]
        .outerjoin(pro, pro.id == r.professional_id)  # type: ignore[arg-type]
        .where(or_(r.customer_id == user_id, r.professional_id == user_id)).order_by(col(r.id))).all()
    out = []
    for req, service, customer_name, pro_name in rows:
        own = req.customer_id == user_id
        out.append({
            "id": req.id, "you_were": "customer" if own else "professional", "service": service,
            "status": str(req.status), "scheduled_at": when(req.scheduled_at),
            "address": req.address, "pincode": req.pincode, "remarks": req.remarks,
            "other_party": first_name(customer_name) if not own else (first_name(pro_name) if pro_name else None),
            "price_paise": req.price_paise, "extra_charge_paise": req.extra_charge_paise,
            "platform_fee_paise": req.platform_fee_paise, "cancel_fee_paise": req.cancel_fee_paise,
            "cancel_reason": req.cancel_reason, "created_at": when(req.created_at),
            "completed_at": when(req.completed_at), "cancelled_at": when(req.cancelled_at)})
    return out


def extra_charges(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(ExtraCharge).where(col(ExtraCharge.request_id).in_(_mine(session, user_id)))
                        .order_by(col(ExtraCharge.id))).all()
    return [{"booking": e.request_id, "amount_paise": e.amount_paise, "reason": e.reason, "status": str(e.status),
             "proposed_by_you": e.proposed_by_id == user_id, "proposed_at": when(e.proposed_at),
             "decided_at": when(e.decided_at)} for e in rows]


def payments(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(Payment).where(col(Payment.request_id).in_(_as_customer(session, user_id)))
                        .order_by(col(Payment.id))).all()
    return [{"booking": p.request_id, "amount_paise": p.amount_paise, "method": str(p.method),
             "status": str(p.status), "refunded_paise": p.refunded_paise, "gateway_payment_id": p.gateway_payment_id,
             "created_at": when(p.created_at), "paid_at": when(p.paid_at)} for p in rows]


def refunds(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(Refund).where(col(Refund.request_id).in_(_as_customer(session, user_id)))
                        .order_by(col(Refund.id))).all()
    return [{"booking": f.request_id, "amount_paise": f.amount_paise, "reason": f.reason, "status": str(f.status),
             "created_at": when(f.created_at), "processed_at": when(f.processed_at)} for f in rows]


def invoices(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(Invoice).where(col(Invoice.request_id).in_(_mine(session, user_id)))
                        .order_by(col(Invoice.id))).all()
    return [{"number": i.number, "booking": i.request_id, "kind": i.kind, "taxable_paise": i.taxable_paise,
             "gst_paise": i.gst_paise, "total_paise": i.total_paise, "created_at": when(i.created_at)} for i in rows]


def payouts(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(Payout).where(Payout.professional_id == user_id).order_by(col(Payout.id))).all()
    return [{"amount_paise": p.amount_paise, "reference": p.txn, "created_at": when(p.created_at)} for p in rows]


def account_entries(session: Session, user_id: int) -> list[Row]:
    """The journal lines booked to the person's own accounts (what they owe, are owed, were paid)."""
    rows = session.exec(select(LedgerEntry).where(LedgerEntry.user_id == user_id).order_by(col(LedgerEntry.id))).all()
    return [{"kind": e.kind, "account": str(e.account), "amount_paise": e.amount_paise, "booking": e.request_id,
             "created_at": when(e.created_at)} for e in rows]


def _reviews(session: Session, user_id: int, *, given: bool) -> list[Row]:
    other = aliased(User)
    me, them = (Review.customer_id, Review.professional_id) if given else (Review.professional_id, Review.customer_id)
    rows = session.exec(select(Review, other.full_name).join(other, other.id == them)  # type: ignore[arg-type]
                        .where(me == user_id).order_by(col(Review.id))).all()
    return [{"booking": r.request_id, "rating": r.rating, "comment": r.comment,
             ("professional" if given else "customer"): first_name(name), "created_at": when(r.created_at)}
            for r, name in rows]


def reviews_given(session: Session, user_id: int) -> list[Row]:
    return _reviews(session, user_id, given=True)


def reviews_received(session: Session, user_id: int) -> list[Row]:
    return _reviews(session, user_id, given=False)


def chat_messages(session: Session, user_id: int) -> list[Row]:
    """Both sides of the person's own booking threads: the thread is the parties' shared record."""
    sender = aliased(User)
    rows = session.exec(select(ChatMessage, sender.full_name).join(sender, sender.id == ChatMessage.sender_id)  # type: ignore[arg-type]
                        .where(col(ChatMessage.request_id).in_(_mine(session, user_id)))
                        .order_by(col(ChatMessage.id))).all()
    return [{"booking": m.request_id, "from": "you" if m.sender_id == user_id else first_name(name), "text": m.body,
             "contact_masked": m.masked, "sent_at": when(m.created_at), "read_at": when(m.read_at)} for m, name in rows]


def disputes(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(Dispute).where(or_(Dispute.customer_id == user_id, Dispute.professional_id == user_id))
                        .order_by(col(Dispute.id))).all()
    return [{"booking": d.request_id, "you_were": "customer" if d.customer_id == user_id else "professional",
             "reason": str(d.reason), "details": d.details, "answer": d.answer, "status": str(d.status),
             "outcome": str(d.outcome) if d.outcome else None, "refund_paise": d.refund_paise,
             "decision_note": d.decision_note, "created_at": when(d.created_at), "answered_at": when(d.answered_at),
             "decided_at": when(d.decided_at), "photo_added_at": when(d.photo_at),
             "photo_sha256": d.photo_sha256 or None} for d in rows]


def reports(session: Session, user_id: int) -> list[Row]:
    """Reports the person filed (reports about them stay with support: the reporter is protected)."""
    rows = session.exec(select(Report).where(Report.reporter_id == user_id).order_by(col(Report.id))).all()
    return [{"booking": r.request_id, "reason": str(r.reason), "details": r.details, "status": str(r.status),
             "outcome": r.outcome, "created_at": when(r.created_at), "closed_at": when(r.closed_at)} for r in rows]


def quality(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(QualityStanding).where(QualityStanding.professional_id == user_id)).all()
    return [{"level": str(q.level), "average": q.average, "rated_jobs": q.rated_jobs, "strikes": q.strikes,
             "reason": q.reason, "checked_at": when(q.checked_at), "paused_at": when(q.suspended_at),
             "appeal": q.appeal, "appealed_at": when(q.appealed_at),
             "decision": str(q.decision) if q.decision else None, "decision_reason": q.decision_reason,
             "decided_at": when(q.decided_at)} for q in rows]


def strikes(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(Strike).where(Strike.professional_id == user_id).order_by(col(Strike.id))).all()
    return [{"booking": s.request_id, "reason": s.reason, "created_at": when(s.created_at)} for s in rows]


def live_location(session: Session, user_id: int) -> list[Row]:
    """The one stored position of a trip under way (deleted when the job ends: docs/privacy.md)."""
    rows = session.exec(select(JobLocation).where(JobLocation.professional_id == user_id)).all()
    return [{"booking": j.request_id, "set_off_at": when(j.en_route_at), "lat": j.lat, "lon": j.lon,
             "accuracy_m": j.accuracy_m, "taken_at": when(j.recorded_at)} for j in rows]


def notifications(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(Notification).where(Notification.user_id == user_id)
                        .order_by(col(Notification.id))).all()
    return [{"kind": str(n.kind), "title": n.title, "text": n.body, "booking": n.request_id,
             "created_at": when(n.created_at), "read_at": when(n.read_at)} for n in rows]


def reminders(session: Session, user_id: int) -> list[Row]:
    rows = session.exec(select(ReminderSent).where(ReminderSent.user_id == user_id)
                        .order_by(col(ReminderSent.id))).all()
    return [{"kind": r.kind, "booking": r.request_id, "sent_at": when(r.created_at)} for r in rows]


def sessions(session: Session, user_id: int) -> list[Row]:
    """Where the person signed in (device and times; never the token)."""
    rows = session.exec(select(AuthSession).where(AuthSession.user_id == user_id).order_by(col(AuthSession.id))).all()
    return [{"device": s.device, "signed_in_at": when(s.created_at), "last_seen_at": when(s.last_seen_at),
             "expires_at": when(s.expires_at), "ended_at": when(s.revoked_at)} for s in rows]


CONSENT_ACTIONS = {"request.on_my_way": "Shared live location for the trip to this booking"}


def consents(session: Session, user_id: int) -> list[Row]:
    """What the person agreed to and when: proving the address and number (so we may mail and text
    them about bookings) and each live-location trip they started."""
    u = session.get(User, user_id)
    out: list[Row] = []
    if u is not None and u.email_verified_at:
        out.append({"what": "Booking emails to your address", "given_at": when(u.email_verified_at), "booking": None})
    if u is not None and u.phone_verified_at:
        out.append({"what": "Booking texts to your number", "given_at": when(u.phone_verified_at), "booking": None})
    rows = session.exec(select(AuditLog).where(AuditLog.actor_id == user_id,
                                               col(AuditLog.action).in_(list(CONSENT_ACTIONS)))
                        .order_by(col(AuditLog.id))).all()
    out += [{"what": CONSENT_ACTIONS[a.action], "given_at": when(a.created_at), "booking": a.target_id} for a in rows]
    return out


def activity(session: Session, user_id: int) -> list[Row]:
    """The audit trail of what the person did themselves (action and time; the details stay, as they
    may name others)."""
    rows = session.exec(select(AuditLog).where(AuditLog.actor_id == user_id).order_by(col(AuditLog.id))).all()
    return [{"action": a.action, "on": a.target_type, "id": a.target_id, "at": when(a.created_at)} for a in rows]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: Callable[[Session, int], list[Row]]


SECTIONS: tuple[Section, ...] = (
    Section("account", "Your account", account),
    Section("professional_profile", "Your professional profile", professional_profile),
    Section("days_off", "Days off and other hours", days_off),
    Section("favourites", "Professionals you saved", favourites),
    Section("bookings", "Bookings", bookings),
    Section("extra_charges", "Extra charges", extra_charges),
    Section("payments", "Payments", payments),
    Section("refunds", "Refunds", refunds),
    Section("invoices", "Tax invoices", invoices),
    Section("payouts", "Payouts to you", payouts),
    Section("account_entries", "Your account in our books", account_entries),
    Section("reviews_given", "Reviews you gave", reviews_given),
    Section("reviews_received", "Reviews you received", reviews_received),
    Section("chat_messages", "Booking chat messages", chat_messages),
    Section("disputes", "Disputes", disputes),
    Section("reports", "Reports you made", reports),
    Section("quality", "Your quality standing", quality),
    Section("strikes", "Strikes", strikes),
    Section("live_location", "Live location", live_location),
    Section("notifications", "Notifications", notifications),
    Section("reminders", "Reminders sent to you", reminders),
    Section("sessions", "Where you signed in", sessions),
    Section("consents", "Consents", consents),
    Section("activity", "What you did", activity),
)

# Every table with a column pointing at users: the section that carries it, or why it is left out.
COVERED: dict[str, str] = {
    "users": "account", "professional_profiles": "professional_profile", "service_requests": "bookings",
    "availability_overrides": "days_off",
    "favourites": "favourites (the professionals a customer saved; a professional is not told who saved them)",
    "extra_charges": "extra_charges", "payments": "payments", "refunds": "refunds", "invoices": "invoices",
    "payouts": "payouts", "ledger_entries": "account_entries", "reviews": "reviews_given, reviews_received",
    "chat_messages": "chat_messages", "disputes": "disputes", "reports": "reports (filed by the person)",
    "quality_standings": "quality", "strikes": "strikes", "job_locations": "live_location",
    "notifications": "notifications", "reminders_sent": "reminders", "auth_sessions": "sessions",
    "audit_log": "activity, consents",
    "payout_batches": "left out: the admin who made a batch, not the professionals paid (payouts)",
    "account_tokens": "left out: hashes of one-time links, useless to anyone and deleted within a day",
    "phone_codes": "left out: hashes of one-time codes, deleted within a day",
    "idempotency_keys": "left out: technical keys against double submits, deleted within a day",
}
