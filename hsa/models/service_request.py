"""A booking: one customer asks for one service at one time and place."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import enum_column, ts_column, utcnow


class RequestStatus(StrEnum):
    requested = "requested"
    assigned = "assigned"
    in_progress = "in_progress"
    completed = "completed"
    closed = "closed"
    cancelled = "cancelled"


class ServiceRequest(SQLModel, table=True):
    """Lifecycle timestamps live on the row so the timeline needs no extra table."""

    __tablename__ = "service_requests"
    __table_args__ = (
        sa.CheckConstraint("price_paise >= 0 AND extra_charge_paise >= 0", name="ck_request_price"),
        sa.Index("ix_requests_status_scheduled", "status", "scheduled_at"),
        # covering indexes for the dashboard's "last 30 days" aggregates (see bench/RESULTS.md)
        sa.Index("ix_requests_created_service", "created_at", "service_id"),
        sa.Index("ix_requests_created_pincode", "created_at", "pincode"),
        # (service | professional | addressee, updated_at): the board's per-professional lookups stay on an index
        sa.Index("ix_requests_service_updated", "service_id", "updated_at"),
        sa.Index("ix_requests_pro_updated", "professional_id", "updated_at"),
        sa.Index("ix_requests_preferred_updated", "preferred_professional_id", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="services.id", index=True)
    customer_id: int = Field(foreign_key="users.id", index=True)
    professional_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    preferred_professional_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    status: RequestStatus = Field(
        default=RequestStatus.requested, sa_column=enum_column(RequestStatus, index=True)
    )
    scheduled_at: datetime = Field(sa_column=ts_column(nullable=False, index=True))
    address: str = Field(max_length=300)
    pincode: str = Field(max_length=6, index=True)
    remarks: str = Field(default="", max_length=500)
    price_paise: int
    extra_charge_paise: int = Field(default=0)
    extra_charge_reason: str = Field(default="", max_length=300)
    decline_reason: str = Field(default="", max_length=300)
    declined_by_id: int | None = Field(default=None, foreign_key="users.id")
    cancel_reason: str = Field(default="", max_length=300)
    cancelled_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False, index=True))
    assigned_at: datetime | None = Field(default=None, sa_column=ts_column())
    started_at: datetime | None = Field(default=None, sa_column=ts_column())
    completed_at: datetime | None = Field(default=None, sa_column=ts_column())
    closed_at: datetime | None = Field(default=None, sa_column=ts_column())
    cancelled_at: datetime | None = Field(default=None, sa_column=ts_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False, index=True))


class RequestStatusCount(SQLModel, table=True):
    """Live count of requests per status, kept by database triggers (see the migration).

    The dashboard reads six rows instead of scanning every request; triggers see every
    insert, status change and delete, including bulk updates, so the counts cannot drift.
    """

    __tablename__ = "request_status_counts"

    status: str = Field(primary_key=True, max_length=32)
    count: int = Field(default=0)
