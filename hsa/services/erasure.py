"""Erasing a person: the one anonymisation both an admin's delete and "Delete my account" use, and
the self-service path with its refusals.

Why anonymise instead of deleting rows: the other party keeps their booking history, reviews keep
their ratings, and tax invoices must be kept (GST: 6 years) — so the person's own fields go (name,
email, phone, address, bio, ID document, notifications, sessions) and the rows they are part of
stay, pointing at "Deleted user #<id>". DPDP Act 2023 §12 and GDPR art. 17 both allow keeping what
the law requires.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import Session, col, delete, or_, select

from hsa.i18n.text import msg
from hsa.models import (
    LIVE,
    AvailabilityOverride,
    Dispute,
    DisputeStatus,
    Favourite,
    ProfessionalProfile,
    RequestStatus,
    ServiceRequest,
    User,
    UserStatus,
    utcnow,
)
from hsa.services import audit, dispute_photos, documents, my_data, notifications, pro_profiles, sessions, throttle
from hsa.services.actors import Actor
from hsa.services.errors import NotFound, ValidationFailed
from hsa.services.money.payments import paid_amounts
from hsa.services.money.pricing import bill
from hsa.services.passwords import hash_password, verify_password
from hsa.services.permissions import require_actor

CONFIRM_FAILURES = "5/15 minutes;20/day"  # wrong passwords at "Delete my account", per account


def anonymise(session: Session, user: User, *, now: datetime) -> None:
    """Remove the person's own data in the caller's transaction (history rows stay)."""
    assert user.id is not None
    user.status = UserStatus.deleted
    user.full_name = f"Deleted user #{user.id}"
    user.email = f"deleted-{user.id}-{secrets.token_hex(4)}@deleted.invalid"
    user.phone, user.address = "", ""
    user.email_verified_at = user.phone_verified_at = None
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.updated_at = now
    session.add(user)
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user.id)).first()
    if profile is not None:
        documents.delete_document_file(profile)
        profile.bio, profile.is_available = "", False
        profile.doc_original_name = profile.doc_stored_name = profile.doc_content_type = None
        profile.doc_size = None
        profile.weekly_hours, profile.languages = "", ""
        pro_profiles.delete_photo_file(profile)
        session.add(profile)
    session.exec(delete(AvailabilityOverride).where(  # type: ignore[call-overload]
        col(AvailabilityOverride.user_id) == user.id))
    session.exec(delete(Favourite).where(col(Favourite.customer_id) == user.id))  # type: ignore[call-overload]
    dispute_photos.forget_customer(session, user.id)
    sessions.revoke_all(session=session, user_id=user.id, now=now)
    notifications.forget_user(session, user.id)
    my_data.forget(user.id)  # an archive is the person's whole record


def blockers(session: Session, user_id: int) -> list[str]:
    """What must end first (catalog keys): bookings still running, a completed job not yet paid, an open dispute."""
    mine = or_(ServiceRequest.customer_id == user_id, ServiceRequest.professional_id == user_id)
    found = []
    if session.exec(select(ServiceRequest.id).where(mine, col(ServiceRequest.status).in_(LIVE))).first():
        found.append("svc_account.blocker_open")
    completed = list(session.exec(select(ServiceRequest).where(mine, ServiceRequest.status == RequestStatus.completed)))
    paid = paid_amounts(session, [r.id for r in completed if r.id is not None])
    if any(paid.get(r.id, 0) < bill(r).total_paise for r in completed):
        found.append("svc_account.blocker_unpaid")
    if session.exec(select(Dispute.id).where(or_(Dispute.customer_id == user_id, Dispute.professional_id == user_id),
                                             col(Dispute.status).in_((DisputeStatus.open, DisputeStatus.answered)))
                    ).first():
        found.append("svc_account.blocker_dispute")
    return found


def delete_own_account(*, session: Session, actor: Actor | None, data: dict, now: datetime | None = None) -> None:
    """"Delete my account": confirmed by the password, refused while something is in flight."""
    actor = require_actor(actor)
    now = now or utcnow()
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound("account")
    password = str(data.get("password", ""))[:200]
    session.commit()  # no transaction held during the slow password check
    wait = throttle.wait(CONFIRM_FAILURES, "delete-confirm", str(actor.id))
    if wait > 0:
        raise ValidationFailed({"password": msg("svc_account.too_many_tries", wait=throttle.in_words(wait))})
    if not verify_password(password, user.password_hash):
        throttle.hit(CONFIRM_FAILURES, "delete-confirm", str(actor.id))
        raise ValidationFailed({"password": msg("svc_account.not_your_password")})
    user = session.get(User, actor.id)
    assert user is not None
    if found := blockers(session, actor.id):
        things = [msg(key) for key in found]
        message = msg(f"svc_account.delete_blocked_{len(things)}", **dict(zip("abc", things, strict=False)))
        raise ValidationFailed({"password": message}, message)
    anonymise(session, user, now=now)
    audit.record(session=session, actor_id=actor.id, action="user.self_delete", target_type="user",
                 target_id=actor.id)
    session.commit()


__all__ = ["anonymise", "blockers", "delete_own_account"]
