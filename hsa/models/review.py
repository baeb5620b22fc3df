"""Ratings and payments recorded against a finished request."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import enum_column, ts_column, utcnow


class Review(SQLModel, table=True):
    """One review per request; the rating feeds the professional's aggregate."""

    __tablename__ = "reviews"
    __table_args__ = (sa.CheckConstraint("rating >= 1 AND rating <= 5", name="ck_review_rating"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="service_requests.id", sa_column_kwargs={"unique": True})
    customer_id: int = Field(foreign_key="users.id", index=True)
    professional_id: int = Field(foreign_key="users.id", index=True)
    rating: int = Field(index=True)  # rating distribution is a covering-index scan
    comment: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))


class PaymentMethod(StrEnum):
    cash = "cash"
    upi = "upi"
    card = "card"


class PaymentStatus(StrEnum):
    pending = "pending"
    paid = "paid"
    failed = "failed"
    refunded = "refunded"


class Payment(SQLModel, table=True):
    """A record of money for a job (no gateway yet): amount in integer paise."""

    __tablename__ = "payments"
    __table_args__ = (
        sa.CheckConstraint("amount_paise >= 0", name="ck_payment_amount"),
        sa.Index("ix_payments_created_status_amount", "created_at", "status", "amount_paise"),  # revenue sums
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="service_requests.id", index=True)
    amount_paise: int
    method: PaymentMethod = Field(sa_column=enum_column(PaymentMethod))
    status: PaymentStatus = Field(default=PaymentStatus.paid, sa_column=enum_column(PaymentStatus))
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False, index=True))
