"""Ratings recorded against a finished request (money lives in `hsa.models.money`)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import ts_column, utcnow


class Review(SQLModel, table=True):
    """One review per request; the rating feeds the professional's aggregate."""

    __tablename__ = "reviews"
    __table_args__ = (
        sa.CheckConstraint("rating >= 1 AND rating <= 5", name="ck_review_rating"),
        sa.Index("ix_reviews_flagged_at", "flagged_at"),  # the moderation queue
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="service_requests.id", sa_column_kwargs={"unique": True})
    customer_id: int = Field(foreign_key="users.id", index=True)
    professional_id: int = Field(foreign_key="users.id", index=True)
    rating: int = Field(index=True)  # rating distribution is a covering-index scan
    comment: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    # The professional's flag (hsa/services/review_flags.py): why, when, and a moderator's decision.
    # A hidden review no longer counts in the rating, search or quality; the row stays for the record.
    flag_reason: str = Field(default="", max_length=32, sa_column_kwargs={"server_default": ""})
    flag_note: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    flagged_at: datetime | None = Field(default=None, sa_column=ts_column())
    hidden_at: datetime | None = Field(default=None, sa_column=ts_column())
    moderated_at: datetime | None = Field(default=None, sa_column=ts_column())
    moderated_by_id: int | None = Field(default=None)  # no FK: SQLite cannot add one without a rebuild
    moderation_note: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
