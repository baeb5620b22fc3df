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
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
