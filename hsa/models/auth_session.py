"""Server-side login sessions and the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from hsa.models.common import ts_column, utcnow


class AuthSession(SQLModel, table=True):
    """Only the SHA-256 of the bearer token is stored, so a database leak yields no live sessions."""

    __tablename__ = "auth_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True}, index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    expires_at: datetime = Field(sa_column=ts_column(nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=ts_column())
    # What the person sees in "Where you're signed in" (browser and system from the User-Agent).
    device: str = Field(default="", max_length=120)


class AuditLog(SQLModel, table=True):
    """Who did what to whom, when; details is free text (often JSON) for the reviewer."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    action: str = Field(max_length=64, index=True)
    target_type: str = Field(max_length=32)
    target_id: int | None = Field(default=None)
    details: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False, index=True))
