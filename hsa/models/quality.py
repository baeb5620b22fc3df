"""Where each professional stands on quality: ok, warned, or suspended pending an admin's review,
and their appeal with its decision (both sides read the reasons)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from hsa.models.common import enum_column, ts_column, utcnow


class QualityLevel(StrEnum):
    ok = "ok"
    warned = "warned"        # told with specifics; still gets jobs
    suspended = "suspended"  # no new jobs until an admin reinstates them


class AppealDecision(StrEnum):
    reinstated = "reinstated"
    kept = "kept"            # stays suspended


class QualityStanding(SQLModel, table=True):
    __tablename__ = "quality_standings"

    id: int | None = Field(default=None, primary_key=True)
    professional_id: int = Field(foreign_key="users.id", sa_column_kwargs={"unique": True})
    level: QualityLevel = Field(default=QualityLevel.ok, sa_column=enum_column(QualityLevel, index=True))
    average: float | None = Field(default=None)   # of the rated jobs counted
    rated_jobs: int = Field(default=0)
    strikes: int = Field(default=0)
    reason: str = Field(default="", max_length=500)  # the specifics the professional is told
    checked_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    suspended_at: datetime | None = Field(default=None, sa_column=ts_column())
    appeal: str = Field(default="", max_length=1000)
    appealed_at: datetime | None = Field(default=None, sa_column=ts_column())
    decision: AppealDecision | None = Field(default=None, sa_column=enum_column(AppealDecision, nullable=True))
    decision_reason: str = Field(default="", max_length=500)
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = Field(default=None, sa_column=ts_column())
    # After a reinstatement only what happens next counts (a fresh start, not an instant re-suspension).
    counts_from: datetime | None = Field(default=None, sa_column=ts_column())
