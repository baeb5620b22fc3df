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


# Status groups, written once: every query, view and rule that means "live" or "active" uses these.
ACTIVE = (RequestStatus.assigned, RequestStatus.in_progress)        # a professional is on the job
LIVE = (RequestStatus.requested, *ACTIVE)                            # someone may still act on it
FINISHED = (RequestStatus.completed, RequestStatus.closed)           # the work was done


class ServiceRequest(SQLModel, table=True):
    """Lifecycle timestamps live on the row so the timeline needs no extra table."""

    __tablename__ = "service_requests"
    __table_args__ = (
        sa.CheckConstraint("price_paise >= 0 AND extra_charge_paise >= 0", name="ck_request_price"),
        sa.CheckConstraint("platform_fee_paise >= 0 AND cancel_fee_paise >= 0", name="ck_request_fees"),
        sa.Index("ix_requests_status_scheduled", "status", "scheduled_at"),
        # covering indexes for the dashboard's "last 30 days" aggregates (see bench/RESULTS.md)
        sa.Index("ix_requests_created_service", "created_at", "service_id"),
        sa.Index("ix_requests_created_pincode", "created_at", "pincode"),
        # a professional's jobs on one day: slot computation and accept's clash check (hsa.services.slots)
        sa.Index("ix_requests_pro_scheduled", "professional_id", "scheduled_at"),
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
    # the handshake: shown on the customer's card, typed by the professional to start (issue #14)
    start_code: str = Field(default="", max_length=4, sa_column_kwargs={"server_default": ""})
    start_code_tries: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # a new time one party proposed after acceptance, until the other accepts or declines it
    reschedule_to: datetime | None = Field(default=None, sa_column=ts_column())
    reschedule_by_id: int | None = Field(default=None)  # no FK: SQLite cannot add one without a rebuild
    # money, fixed when booked (issue #16; hsa.services.money.pricing): the platform fee, GST rate
    # and commission of the day, and the cancellation fee charged if it was cancelled late
    platform_fee_paise: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    gst_bps: int = Field(default=1800, sa_column_kwargs={"server_default": "1800"})
    commission_bps: int = Field(default=2000, sa_column_kwargs={"server_default": "2000"})
    cancel_fee_paise: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    updated_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))  # no query filters on it


class RequestStatusCount(SQLModel, table=True):
    """Live count of requests per status, kept by database triggers (see the migration).

    The dashboard reads six rows instead of scanning every request; triggers see every
    insert, status change and delete, including bulk updates, so the counts cannot drift.
    """

    __tablename__ = "request_status_counts"

    status: str = Field(primary_key=True, max_length=32)
    count: int = Field(default=0)
