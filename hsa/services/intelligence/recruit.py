"""Where to recruit: 14 days of forecast demand per service x city against what its professionals can do.

Capacity is an assumption, written here once: a professional works `WORK_HOURS_PER_DAY` (8) hours a day,
`WORK_DAYS_PER_WEEK` (6) days a week, and fits as many whole jobs of the service's `duration_minutes` in a
day as the hours allow (a Painting job of 8 hours: one a day; AC Repair at 90 minutes: five); a job longer
than a day counts as a fraction. Travel between jobs is not counted (the capacity is an upper bound).

Who counts: professionals on that service, approved, whose account is active (not blocked or deleted) and
who are not suspended for quality (hsa.services.quality), whose own pincode is in the city
(hsa.services.pincodes.city). Being off duty today does not remove anyone: recruiting is about weeks.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, select

from hsa.models import (
    ApprovalStatus,
    ProfessionalProfile,
    QualityLevel,
    QualityStanding,
    Role,
    User,
    UserStatus,
)
from hsa.services.pincodes import city

WORK_HOURS_PER_DAY = 8
WORK_DAYS_PER_WEEK = 6
HORIZON_DAYS = 14


def jobs_per_day(duration_minutes: int) -> float:
    """Whole jobs in a working day (at least a fraction for jobs longer than the day)."""
    minutes = WORK_HOURS_PER_DAY * 60
    duration = max(duration_minutes, 1)
    return float(minutes // duration) if duration <= minutes else minutes / duration


def capacity(professionals: int, duration_minutes: int, days: int = HORIZON_DAYS) -> float:
    """Jobs `professionals` can do in `days` calendar days (6 working days in 7)."""
    return professionals * jobs_per_day(duration_minutes) * days * WORK_DAYS_PER_WEEK / 7


@dataclass(frozen=True)
class Gap:
    """One service x city: demand, capacity and the professionals it would take to close the gap."""

    demand: float
    professionals: int
    capacity: float
    shortfall: float
    recruit: int


def gap(demand: float, professionals: int, duration_minutes: int, days: int = HORIZON_DAYS) -> Gap:
    have = capacity(professionals, duration_minutes, days)
    shortfall = max(0.0, demand - have)
    one = capacity(1, duration_minutes, days)
    return Gap(demand=demand, professionals=professionals, capacity=have, shortfall=shortfall,
               recruit=math.ceil(shortfall / one - 1e-9) if shortfall > 0 else 0)


def active_professionals(session: Session) -> Counter[tuple[int, str]]:
    """How many professionals can take jobs, per (service id, city): one query, cities mapped here."""
    suspended = select(QualityStanding.professional_id).where(QualityStanding.level == QualityLevel.suspended)
    rows = session.exec(
        select(ProfessionalProfile.service_id, User.pincode)
        .join(User, col(User.id) == ProfessionalProfile.user_id)
        .where(User.role == Role.professional, User.status == UserStatus.active,
               ProfessionalProfile.approval_status == ApprovalStatus.approved,
               col(User.id).not_in(suspended))
    ).all()
    return Counter((service_id, city(pincode)) for service_id, pincode in rows)


__all__ = ["HORIZON_DAYS", "WORK_DAYS_PER_WEEK", "WORK_HOURS_PER_DAY", "Gap", "active_professionals", "capacity",
           "gap", "jobs_per_day"]
