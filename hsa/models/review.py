"""Ratings recorded against a finished request (money lives in `hsa.models.money`)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import ts_column, utcnow


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
