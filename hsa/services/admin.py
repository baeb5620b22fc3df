"""Admin use cases: vetting, fraud control, request search and the audit log (the catalog: `catalog`).

Every function starts with require_admin and writes an audit row in the same transaction as
the change it describes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from hsa.i18n.text import msg
from hsa.models import (
    ApprovalStatus,
    AuditLog,
    ProfessionalProfile,
    RequestStatus,
    Role,
    Service,
    ServiceRequest,
    User,
    UserStatus,
    utcnow,
)
from hsa.services import (
    audit,
    bookings,
    erasure,
    filters,
    notifications,
    request_views,
    sessions,
)
from hsa.services.actors import Actor

# The catalog's admin use cases live with the catalog; these names stay importable from here.
from hsa.services.catalog import ServiceForm, list_services, save_service, set_service_active  # noqa: F401
from hsa.services.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from hsa.services.local_words import when_said
from hsa.services.permissions import require_admin
from hsa.services.service_names import localized
from hsa.services.settle import RETURNED_TO_POOL, settle_account  # noqa: F401 - RETURNED_TO_POOL re-exported

PAGE_SIZE = 20


# ------------------------------------------------------------------ vetting


@dataclass(frozen=True)
class Applicant:
    user_id: int
    full_name: str
    email: str
    phone: str
    pincode: str
    service_name: str
    experience_years: int
    bio: str
    approval_status: str
    approval_reason: str
    has_document: bool
    document_name: str
    document_type: str
    document_size: int
    submitted: str


def list_applications(*, session: Session, actor: Actor | None, status: str = "pending") -> list[Applicant]:
    """Professionals by approval status (pending first in the UI)."""
    require_admin(actor)
    rows = session.exec(
        select(User, ProfessionalProfile, Service.name, Service.translations)
        .join(ProfessionalProfile, ProfessionalProfile.user_id == User.id)  # type: ignore[arg-type]
        .join(Service, Service.id == ProfessionalProfile.service_id)  # type: ignore[arg-type]
        .where(ProfessionalProfile.approval_status == ApprovalStatus(status), User.status == UserStatus.active)
        .order_by(User.created_at)
    ).all()
    return [Applicant(
        user_id=u.id, full_name=u.full_name, email=u.email, phone=u.phone, pincode=u.pincode,  # type: ignore[arg-type]
        service_name=localized(name, translations), experience_years=p.experience_years, bio=p.bio,
        approval_status=p.approval_status.value, approval_reason=p.approval_reason,
        has_document=bool(p.doc_stored_name), document_name=p.doc_original_name or "",
        document_type=p.doc_content_type or "", document_size=p.doc_size or 0,
        submitted=when_said(p.doc_uploaded_at or u.created_at)) for u, p, name, translations in rows]


def decide_application(*, session: Session, actor: Actor | None, user_id: int, approve: bool,
                       reason: str = "") -> None:
    """Approve (document required) or reject (reason required); the professional sees the outcome."""
    actor = require_admin(actor)
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user_id)
                           .with_for_update()).first()
    if profile is None:
        raise NotFound("professional")
    reason = " ".join(reason.split())[:500]
    if approve and not profile.doc_stored_name:
        raise InvalidTransition(msg("svc_admin.need_document"))
    if not approve and len(reason) < 3:
        raise ValidationFailed({"reason": msg("svc_admin.give_reason")})
    profile.approval_status = ApprovalStatus.approved if approve else ApprovalStatus.rejected
    profile.approval_reason = reason or (msg("svc_admin.documents_verified") if approve else "")
    profile.reviewed_by_id, profile.reviewed_at = actor.id, utcnow()
    session.add(profile)
    notifications.application_decided(session, user_id=user_id, approved=approve, reason=reason,
                                      now=profile.reviewed_at)
    audit.record(session=session, actor_id=actor.id, action="professional.approve" if approve
                 else "professional.reject", target_type="user", target_id=user_id, reason=reason)
    session.commit()


# ------------------------------------------------------------------ users


@dataclass(frozen=True)
class UserRow:
    id: int
    full_name: str
    email: str
    phone: str
    pincode: str
    role: str
    status: str
    joined: str


@dataclass(frozen=True)
class Page:
    rows: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1


def _page(total: int, page: int) -> tuple[int, int]:
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    return page, pages


def search_users(*, session: Session, actor: Actor | None, q: str = "", role: str = "", status: str = "",
                 pincode: str = "", page: int = 1) -> Page:
    """Find users by name, email or phone (q), role, status and pincode; 20 a page."""
    require_admin(actor)
    query = select(User)
    if q.strip():
        like = f"%{q.strip()[:60]}%"
        query = query.where(or_(col(User.full_name).ilike(like), col(User.email).ilike(like),
                                col(User.phone).ilike(like)))
    if role:
        query = query.where(User.role == Role(role))
    if status:
        query = query.where(User.status == UserStatus(status))
    if (pin := filters.pincode(pincode)) is not None:
        query = query.where(User.pincode == pin)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page, pages = _page(total, page)
    rows = session.exec(query.order_by(col(User.id).desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return Page(rows=[UserRow(id=u.id, full_name=u.full_name, email=u.email, phone=u.phone,  # type: ignore[arg-type]
                              pincode=u.pincode, role=u.role.value, status=u.status.value,
                              joined=when_said(u.created_at)) for u in rows],
                total=total, page=page, pages=pages)


def _target(session: Session, actor: Actor, user_id: int) -> User:
    user = session.exec(select(User).where(User.id == user_id).with_for_update()).first()
    if user is None or user.status is UserStatus.deleted:
        raise NotFound("user")
    if user.id == actor.id or user.role is Role.admin:
        raise Forbidden(msg("svc_admin.admins_untouchable"))
    return user


def block_user(*, session: Session, actor: Actor | None, user_id: int, reason: str) -> int:
    """Block now: sessions end, search and pools drop them, and their work in flight is settled
    (a professional's accepted jobs return to the pool, a customer's live requests are withdrawn).

    Returns how many accepted jobs went back to the pool (what the console's notice reports)."""
    actor = require_admin(actor)
    reason = " ".join(reason.split())[:500]
    if len(reason) < 3:
        raise ValidationFailed({"reason": msg("svc_admin.why_blocked")})
    user = _target(session, actor, user_id)
    if user.status is UserStatus.blocked:
        raise InvalidTransition(msg("svc_admin.already_blocked"))
    now = utcnow()
    user.status, user.updated_at = UserStatus.blocked, now
    session.add(user)
    sessions.revoke_all(session=session, user_id=user_id, now=now)
    settled = settle_account(session, user=user, admin_id=actor.id, now=now)
    audit.record(session=session, actor_id=actor.id, action="user.block", target_type="user", target_id=user_id,
                 reason=reason, jobs_returned=settled.jobs_returned, requests_withdrawn=settled.requests_withdrawn)
    session.commit()
    return settled.jobs_returned


def unblock_user(*, session: Session, actor: Actor | None, user_id: int, reason: str = "") -> None:
    actor = require_admin(actor)
    user = _target(session, actor, user_id)
    if user.status is not UserStatus.blocked:
        raise InvalidTransition(msg("svc_admin.not_blocked"))
    user.status, user.updated_at = UserStatus.active, utcnow()
    session.add(user)
    audit.record(session=session, actor_id=actor.id, action="user.unblock", target_type="user",
                 target_id=user_id, reason=" ".join(reason.split())[:500])
    session.commit()


def delete_user(*, session: Session, actor: Actor | None, user_id: int, reason: str) -> None:
    """Soft delete: work in flight settled as for a block, personal fields anonymised (the phone is
    cleared, so the number is free again), history (requests, payments, reviews) kept."""
    actor = require_admin(actor)
    reason = " ".join(reason.split())[:500]
    if len(reason) < 3:
        raise ValidationFailed({"reason": msg("svc_admin.why_deleted")})
    user = _target(session, actor, user_id)
    now = utcnow()
    settled = settle_account(session, user=user, admin_id=actor.id, now=now)
    erasure.anonymise(session, user, now=now)
    audit.record(session=session, actor_id=actor.id, action="user.delete", target_type="user",
                 target_id=user_id, reason=reason, jobs_returned=settled.jobs_returned,
                 requests_withdrawn=settled.requests_withdrawn)
    session.commit()


# ------------------------------------------------------------------ requests and audit


def search_requests(*, session: Session, actor: Actor | None, status: str = "", service_id: int | None = None,
                    pincode: str = "", date_from: str = "", date_to: str = "", customer: str = "",
                    professional: str = "", page: int = 1) -> Page:
    """Requests filtered by status, service, pincode, scheduled date range (IST), customer, professional."""
    actor = require_admin(actor)
    query = select(ServiceRequest)
    if status:
        query = query.where(ServiceRequest.status == RequestStatus(status))
    if service_id:
        query = query.where(ServiceRequest.service_id == service_id)
    if (pin := filters.pincode(pincode)) is not None:
        query = query.where(ServiceRequest.pincode == pin)
    start, end = filters.date_range(date_from, date_to)
    if start is not None:
        query = query.where(ServiceRequest.scheduled_at >= start)
    if end is not None:
        query = query.where(ServiceRequest.scheduled_at < end)
    for text, column in ((customer, ServiceRequest.customer_id), (professional, ServiceRequest.professional_id)):
        if text.strip():
            like = f"%{text.strip()[:60]}%"
            ids = select(User.id).where(or_(col(User.full_name).ilike(like), col(User.email).ilike(like)))
            query = query.where(col(column).in_(ids))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page, pages = _page(total, page)
    rows = list(session.exec(query.order_by(col(ServiceRequest.id).desc())
                             .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return Page(rows=request_views.build_views(session, actor, rows, None), total=total, page=page, pages=pages)


@dataclass(frozen=True)
class AuditRow:
    id: int
    when: str
    actor: str
    action: str
    target: str
    details: str


def audit_log(*, session: Session, actor: Actor | None, action: str = "", target_type: str = "",
              target_id: int | str | None = None, page: int = 1) -> Page:
    require_admin(actor)
    query = select(AuditLog, User.full_name).join(User, User.id == AuditLog.actor_id, isouter=True)  # type: ignore[arg-type]
    if action.strip():
        query = query.where(col(AuditLog.action).ilike(f"%{action.strip()[:60]}%"))
    if target_type:
        query = query.where(AuditLog.target_type == target_type[:32])
    if (target := filters.positive_id(target_id, field="target_id")) is not None:
        query = query.where(AuditLog.target_id == target)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page, pages = _page(total, page)
    rows = session.exec(query.order_by(col(AuditLog.id).desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return Page(rows=[AuditRow(id=a.id, when=when_said(a.created_at),  # type: ignore[arg-type]
                               actor=name or msg("svc_admin.audit_system"), action=a.action,
                               target=f"{a.target_type} #{a.target_id}",
                               details=a.details) for a, name in rows], total=total, page=page, pages=pages)


def request_timeline(*, session: Session, actor: Actor | None, request_id: int) -> tuple[request_views.RequestView,
                                                                                         list[AuditRow]]:
    """One request with every recorded event about it, oldest first."""
    require_admin(actor)
    view = bookings.get_request(session=session, actor=actor, request_id=request_id)
    events = audit_log(session=session, actor=actor, target_type="request", target_id=request_id).rows
    return view, list(reversed(events))


