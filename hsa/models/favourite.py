"""A customer's saved professionals ("Favourites"), to find and book them again."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import ts_column, utcnow


class Favourite(SQLModel, table=True):
    """One row per customer and professional; saving twice is still one row."""

    __tablename__ = "favourites"
    __table_args__ = (sa.UniqueConstraint("customer_id", "professional_id", name="uq_favourites_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="users.id", index=True)
    professional_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
