"""Live position of a professional on the way to a job: one row per active trip, latest fix only."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import ts_column, utcnow


class JobLocation(SQLModel, table=True):
    """Created by "On my way", overwritten by each accepted fix, deleted when the job ends.

    No history is kept on purpose (privacy): the row only answers "where is my professional
    now". `customer_id` is copied from the request so a change can be routed to the
    customer's open pages without a query.
    """

    __tablename__ = "job_locations"
    __table_args__ = (
        sa.CheckConstraint("lat IS NULL OR (lat >= -90 AND lat <= 90)", name="ck_job_location_lat"),
        sa.CheckConstraint("lon IS NULL OR (lon >= -180 AND lon <= 180)", name="ck_job_location_lon"),
        sa.CheckConstraint("accuracy_m IS NULL OR accuracy_m >= 0", name="ck_job_location_accuracy"),
    )

    request_id: int = Field(foreign_key="service_requests.id", primary_key=True)
    professional_id: int = Field(foreign_key="users.id", index=True)
    customer_id: int = Field(foreign_key="users.id", index=True)
    en_route_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    lat: float | None = Field(default=None)
    lon: float | None = Field(default=None)
    accuracy_m: float | None = Field(default=None)
    recorded_at: datetime | None = Field(default=None, sa_column=ts_column())
