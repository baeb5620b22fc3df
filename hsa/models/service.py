"""The catalog of services a customer can book."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import ts_column, utcnow


class Service(SQLModel, table=True):
    """A bookable service. Never hard-deleted once used: deactivate instead."""

    __tablename__ = "services"
    __table_args__ = (
        sa.CheckConstraint("base_price_paise >= 0", name="ck_service_price"),
        sa.CheckConstraint("duration_minutes > 0 AND duration_minutes <= 1440", name="ck_service_duration"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, sa_column_kwargs={"unique": True})
    description: str = Field(default="", max_length=500)
    base_price_paise: int
    duration_minutes: int
    is_active: bool = Field(default=True, index=True)
    # extra charges a professional may propose on one job, at most this many times the base price
    extra_cap_factor: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    # also ask for the customer's code when the job is marked completed
    completion_code: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
