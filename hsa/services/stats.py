"""Admin aggregates, computed in SQL (GROUP BY / COUNT / SUM), returned as plain numbers.

No plotly here: the state layer turns these numbers into figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from hsa.models import (
    ApprovalStatus,
    ProfessionalProfile,
    RequestStatus,
    RequestStatusCount,
    Review,
    Role,
    Service,
    ServiceRequest,
    User,
    UserStatus,
    utcnow,
)
from hsa.services.actors import Actor
from hsa.services.money.finance import figures_between, ist_day
from hsa.services.permissions import require_admin
from hsa.services.scheduling import IST

TREND_DAYS = 30
TOP = 5


@dataclass(frozen=True)
class Dashboard:
    customers: int
    professionals_approved: int
    professionals_pending: int
    requests_today: int
    completion_rate: float | None  # completed+closed share of finished requests; None before any
    average_rating: float | None
    ratings_count: int
    revenue_month_paise: int  # received less refunded since the 1st (IST): `finance.figures_between`
    by_status: dict[str, int]
    rating_distribution: dict[int, int]
    bookings_per_day: list[tuple[str, int]]
    top_services: list[tuple[str, int]]
    top_pincodes: list[tuple[str, int]]


def dashboard(*, session: Session, actor: Actor | None, now: datetime | None = None) -> Dashboard:
    """Everything the admin dashboard shows, in a handful of aggregate queries."""
    require_admin(actor)
    now = now or utcnow()
    today_ist = now.astimezone(IST).date()
    day_start = datetime.combine(today_ist, time.min, tzinfo=IST)
    month_start = datetime.combine(today_ist.replace(day=1), time.min, tzinfo=IST)
    trend_start = day_start - timedelta(days=TREND_DAYS - 1)

    customers = session.exec(select(func.count()).select_from(User).where(
        User.role == Role.customer, User.status != UserStatus.deleted)).one()
    approvals = dict(session.exec(
        select(ProfessionalProfile.approval_status, func.count())
        .join(User, User.id == ProfessionalProfile.user_id)  # type: ignore[arg-type]
        .where(User.status == UserStatus.active).group_by(ProfessionalProfile.approval_status)).all())
    by_status = {s.value: 0 for s in RequestStatus}
    for status, count in session.exec(select(RequestStatusCount.status, RequestStatusCount.count)):
        by_status[RequestStatus(status).value] = int(count)  # trigger-maintained: no 1M-row scan
    today = session.exec(select(func.count()).select_from(ServiceRequest)
                         .where(ServiceRequest.created_at >= day_start)).one()
    done = by_status["completed"] + by_status["closed"]
    finished = done + by_status["cancelled"]
    distribution = {r: 0 for r in range(1, 6)}
    for rating, count in session.exec(select(Review.rating, func.count()).group_by(Review.rating)):
        distribution[int(rating)] = int(count)
    # hidden by moderation (review_flags) no longer count; every hidden review was flagged, so this
    # is a seek on the flag index while the count above stays a covering-index scan
    for rating, count in session.exec(select(Review.rating, func.count()).where(
            col(Review.flagged_at).is_not(None), col(Review.hidden_at).is_not(None)).group_by(Review.rating)):
        distribution[int(rating)] -= int(count)
    n_ratings = sum(distribution.values())
    revenue = figures_between(session, month_start, now).revenue_paise  # the Finance page's definition
    day = ist_day(session, ServiceRequest.created_at)
    per_day = {str(d): c for d, c in session.exec(  # PostgreSQL returns dates, SQLite strings
        select(day, func.count()).where(ServiceRequest.created_at >= trend_start).group_by(day)).all()}
    trend = [((trend_start + timedelta(days=i)).date().isoformat(), 0) for i in range(TREND_DAYS)]
    trend = [(d, int(per_day.get(d, 0))) for d, _ in trend]
    recent = ServiceRequest.created_at >= trend_start
    # Group on the covering (created_at, x) indexes, then name the few winners.
    # Group on expressions, not bare columns: otherwise SQLite prefers the single-column index
    # (no sort needed) and walks all 1,000,000 rows instead of the last 30 days' range.
    sid = (ServiceRequest.service_id + 0).label("sid")
    service_counts = session.exec(
        select(sid, func.count()).where(recent).group_by(sid).order_by(func.count().desc(), sid).limit(TOP)).all()
    names = dict(session.exec(select(Service.id, Service.name).where(
        col(Service.id).in_([i for i, _ in service_counts]))).all())
    top_services = [(str(names.get(i, i)), int(c)) for i, c in service_counts]
    pin = func.trim(ServiceRequest.pincode)
    top_pincodes = [(str(p), int(c)) for p, c in session.exec(
        select(pin, func.count()).where(recent).group_by(pin).order_by(func.count().desc(), pin).limit(TOP))]
    return Dashboard(
        customers=int(customers),
        professionals_approved=int(approvals.get(ApprovalStatus.approved, 0)),
        professionals_pending=int(approvals.get(ApprovalStatus.pending, 0)),
        requests_today=int(today),
        completion_rate=round(done / finished, 3) if finished else None,
        average_rating=round(sum(r * c for r, c in distribution.items()) / n_ratings, 2) if n_ratings else None,
        ratings_count=n_ratings,
        revenue_month_paise=int(revenue),
        by_status=by_status, rating_distribution=distribution, bookings_per_day=trend,
        top_services=top_services, top_pincodes=top_pincodes,
    )

