"""Admin aggregates, computed in SQL (GROUP BY / COUNT), returned as plain numbers."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from hsa.models import ApprovalStatus, ProfessionalProfile, Role, Service, ServiceRequest, User, UserStatus
from hsa.services.actors import Actor
from hsa.services.permissions import require_admin
from hsa.services.views import AdminSummary


def admin_summary(*, session: Session, actor: Actor | None) -> AdminSummary:
    """Headline counts for the admin dashboard."""
    require_admin(actor)
    by_role = dict(session.exec(
        select(User.role, func.count()).where(User.status != UserStatus.deleted).group_by(User.role)
    ).all())
    by_approval = dict(session.exec(
        select(ProfessionalProfile.approval_status, func.count())
        .join(User, User.id == ProfessionalProfile.user_id)  # type: ignore[arg-type]
        .where(User.status == UserStatus.active)
        .group_by(ProfessionalProfile.approval_status)
    ).all())
    blocked = session.exec(select(func.count()).select_from(User).where(User.status == UserStatus.blocked)).one()
    services = session.exec(select(func.count()).select_from(Service).where(Service.is_active == True)).one()  # noqa: E712
    requests = session.exec(select(func.count()).select_from(ServiceRequest)).one()
    return AdminSummary(
        customers=int(by_role.get(Role.customer, 0)),
        professionals_approved=int(by_approval.get(ApprovalStatus.approved, 0)),
        professionals_pending=int(by_approval.get(ApprovalStatus.pending, 0)),
        services_active=int(services),
        requests_total=int(requests),
        users_blocked=int(blocked),
    )
