"""Extra work a professional found on a job, charged only once the customer agrees."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import enum_column, ts_column, utcnow


class ExtraChargeStatus(StrEnum):
    proposed = "proposed"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"  # the professional took it back (a typo, or the work was not needed)


class ExtraCharge(SQLModel, table=True):
    """One proposal; only approved ones reach the request's total (`extra_charge_paise` sums them)."""

    __tablename__ = "extra_charges"
    __table_args__ = (
        sa.CheckConstraint("amount_paise > 0", name="ck_extra_amount"),
        sa.Index("ix_extra_charges_request_status", "request_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="service_requests.id")
    amount_paise: int
    reason: str = Field(max_length=300)
    status: ExtraChargeStatus = Field(default=ExtraChargeStatus.proposed,
                                      sa_column=enum_column(ExtraChargeStatus, default=ExtraChargeStatus.proposed))
    proposed_by_id: int = Field(foreign_key="users.id")
    proposed_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    decided_at: datetime | None = Field(default=None, sa_column=ts_column())
