"""Proof that a person holds an email address or a mobile number, and single-use links.

Only hashes are stored (SHA-256 of a link's random token, an HMAC of a 6-digit code), so a
database leak opens no account. Rows are deleted by the retention pass once they expire.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import enum_column, ts_column, utcnow


class TokenPurpose(StrEnum):
    reset_password = "reset_password"  # noqa: S105 - a name, not a secret. "Forgot password?": 30 minutes, ends every other session
    verify_email = "verify_email"      # the sign-up link: proves the address, signs the person in


class AccountToken(SQLModel, table=True):
    """A link mailed to `email`: good once, until `expires_at`, and only while the account's
    address is still `email` (a changed address voids links sent to the old one)."""

    __tablename__ = "account_tokens"
    __table_args__ = (sa.Index("ix_account_tokens_user_purpose", "user_id", "purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    purpose: TokenPurpose = Field(sa_column=enum_column(TokenPurpose))
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    email: str = Field(max_length=254)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    expires_at: datetime = Field(sa_column=ts_column(nullable=False, index=True))
    used_at: datetime | None = Field(default=None, sa_column=ts_column())


class PhoneCode(SQLModel, table=True):
    """A one-time code sent by SMS to `phone`: 6 digits, 10 minutes, 5 tries; a new code
    replaces the previous one (only the newest unused code of a user counts)."""

    __tablename__ = "phone_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    phone: str = Field(max_length=16)
    code_hash: str = Field(max_length=64)
    attempts: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    expires_at: datetime = Field(sa_column=ts_column(nullable=False, index=True))
    used_at: datetime | None = Field(default=None, sa_column=ts_column())
