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
        sa.CheckConstraint("min_price_pct > 0 AND min_price_pct <= 100 AND max_price_pct >= 100 "
                           "AND max_price_pct <= 500", name="ck_service_price_band"),
        sa.CheckConstraint("commission_bps >= 0 AND commission_bps <= 5000 AND cancel_fee_paise >= 0 "
                           "AND free_cancel_hours >= 0", name="ck_service_money"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, sa_column_kwargs={"unique": True})
    description: str = Field(default="", max_length=500)
    # The name and description in the other languages (issue #19), filled by the admin:
    # {"hi": {"name": ..., "description": ...}, "kn": {...}}; a missing entry shows the English.
    translations: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False,
                                                                          server_default="{}"))
    base_price_paise: int
    duration_minutes: int
    is_active: bool = Field(default=True, index=True)
    # extra charges a professional may propose on one job, at most this many times the base price
    extra_cap_factor: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    # also ask for the customer's code when the job is marked completed
    completion_code: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # money (issue #16): professionals price within [min, max] % of the base; HomeServe keeps
    # commission_bps of the work; a cancellation later than free_cancel_hours before an accepted
    # slot costs cancel_fee_paise (see hsa.services.money.pricing)
    min_price_pct: int = Field(default=80, sa_column_kwargs={"server_default": "80"})
    max_price_pct: int = Field(default=150, sa_column_kwargs={"server_default": "150"})
    commission_bps: int = Field(default=2000, sa_column_kwargs={"server_default": "2000"})
    cancel_fee_paise: int = Field(default=9900, sa_column_kwargs={"server_default": "9900"})
    free_cancel_hours: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
