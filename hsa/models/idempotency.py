"""Idempotency keys: the first result of a state-changing call, kept so a repeat returns it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import ts_column, utcnow


class IdempotencyKey(SQLModel, table=True):
    """(user, scope, key) is unique: two concurrent identical submits cannot both do the work.

    `scope` names the operation and its target ("request.create", "transition:12:accept"), so one
    page key can serve several forms; `result` is what the first call produced (an id), enough
    for the repeat to rebuild the same answer. Rows older than `idempotency.TTL` are purged.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("user_id", "scope", "key", name="uq_idempotency_keys_user_scope_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    scope: str = Field(max_length=80)
    key: str = Field(max_length=80)
    result: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False, index=True))
