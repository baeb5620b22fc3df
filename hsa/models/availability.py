"""A professional's one-off changes to their weekly hours: a day off, or other hours that day.

The weekly hours, the buffer between jobs and how far ahead they take bookings live on
`ProfessionalProfile` (one row each, read with every eligible professional when slots are
computed); overrides are rare and keyed by day, so they get their own table.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import ts_column, utcnow


class AvailabilityOverride(SQLModel, table=True):
    """One IST date of one professional: `hours` "" means off all day, else ranges like
    "10:00-14:00, 16:00-19:00" (the same text as a weekday of the weekly hours)."""

    __tablename__ = "availability_overrides"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "day", name="uq_availability_overrides_user_day"),
        sa.Index("ix_availability_overrides_day", "day"),  # slot computation reads one day's overrides
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    day: date
    hours: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
