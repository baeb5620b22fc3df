"""Accounts: one table for every role, plus the professional's profile."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import enum_column, ts_column, utcnow


class Role(StrEnum):
    customer = "customer"
    professional = "professional"
    admin = "admin"


class UserStatus(StrEnum):
    active = "active"
    blocked = "blocked"
    deleted = "deleted"


class ApprovalStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


# The rows the phone's unique index covers: a number belongs to the live account that proved it
# by SMS code (issue #17). Unverified sign-ups may share one, so nobody can squat someone's number.
VERIFIED_PHONE = "status != 'deleted' AND phone_verified_at IS NOT NULL"
# hsa.services.search.SHRUNK_RATING_SQL with its constants frozen (PostgreSQL wants the outer parentheses)
SHRUNK_RATING_INDEX = "((CAST(40.0 AS DOUBLE PRECISION) + rating_sum) / (10 + rating_count))"


class User(SQLModel, table=True):
    """A person who can log in. Deleted users are anonymised, never removed (history stays)."""

    __tablename__ = "users"
    __table_args__ = (
        sa.Index("ix_users_role_status", "role", "status"),  # dashboard head counts
        # One live account per verified mobile number (E.164). Partial, so deleted (anonymised)
        # accounts never block a number, blocked ones keep theirs, and an unproven claim blocks nobody.
        sa.Index("ux_users_phone_verified", "phone", unique=True,
                 sqlite_where=sa.text(VERIFIED_PHONE), postgresql_where=sa.text(VERIFIED_PHONE)),
        # Search seeks active professionals in a bounding box around a pincode here (hsa.services.geo;
        # role and status first, so customers, who have coordinates too, are never walked).
        sa.Index("ix_users_pro_location", "role", "status", "lat", "lon"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, sa_column_kwargs={"unique": True}, index=True)
    full_name: str = Field(max_length=100)
    phone: str = Field(max_length=16, index=True)
    password_hash: str = Field(max_length=100)
    role: Role = Field(sa_column=enum_column(Role, index=True))
    status: UserStatus = Field(default=UserStatus.active, sa_column=enum_column(UserStatus, index=True))
    address: str = Field(default="", max_length=300)
    pincode: str = Field(max_length=6, index=True)
    # The pincode's centroid, kept in step with it by hsa.services.geo (None: no known centroid).
    lat: float | None = Field(default=None)
    lon: float | None = Field(default=None)
    # When the person proved the address (mailed link) and the number (SMS code); None: not yet.
    # Both are needed to book or accept a job (hsa.services.verification).
    email_verified_at: datetime | None = Field(default=None, sa_column=ts_column())
    phone_verified_at: datetime | None = Field(default=None, sa_column=ts_column())
    # The language the person chose (hsa.i18n.LANGUAGES; "" = not chosen: the browser's language):
    # their pages, notifications and e-mails use it on every device.
    language: str = Field(default="", max_length=5, sa_column_kwargs={"server_default": ""})
    failed_login_count: int = Field(default=0)
    locked_until: datetime | None = Field(default=None, sa_column=ts_column())
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))

    @property
    def verified(self) -> bool:
        """Email and number both proven: the one rule `Actor.verified` carries into booking and accepting."""
        return self.email_verified_at is not None and self.phone_verified_at is not None


class ProfessionalProfile(SQLModel, table=True):
    """What a professional offers and where they stand in vetting; one row per professional."""

    __tablename__ = "professional_profiles"
    __table_args__ = (
        sa.CheckConstraint("experience_years >= 0 AND experience_years <= 60", name="ck_pro_experience"),
        sa.CheckConstraint("service_radius_km > 0 AND service_radius_km <= 100", name="ck_pro_radius"),
        sa.CheckConstraint("rating_count >= 0 AND rating_sum >= 0", name="ck_pro_rating"),
        sa.CheckConstraint("buffer_minutes >= 0 AND buffer_minutes <= 120", name="ck_pro_buffer"),
        sa.CheckConstraint("horizon_days >= 1 AND horizon_days <= 60", name="ck_pro_horizon"),
        # Search's shrunk rating, hsa.services.search.SHRUNK_RATING_SQL (its constants frozen here:
        # tests/services/test_search_sql.py fails when they drift); lets search skip the low-rated.
        sa.Index("ix_professional_profiles_shrunk_rating", sa.text(SHRUNK_RATING_INDEX)),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", sa_column_kwargs={"unique": True}, index=True)
    service_id: int = Field(foreign_key="services.id", index=True)
    experience_years: int = Field(default=0)
    bio: str = Field(default="", max_length=500)
    doc_original_name: str | None = Field(default=None, max_length=255)
    doc_stored_name: str | None = Field(default=None, max_length=80)
    doc_content_type: str | None = Field(default=None, max_length=50)
    doc_size: int | None = Field(default=None)
    doc_sha256: str | None = Field(default=None, max_length=64)
    doc_uploaded_at: datetime | None = Field(default=None, sa_column=ts_column())
    approval_status: ApprovalStatus = Field(
        default=ApprovalStatus.pending, sa_column=enum_column(ApprovalStatus, index=True)
    )
    approval_reason: str = Field(default="", max_length=500)
    reviewed_by_id: int | None = Field(default=None, foreign_key="users.id")
    reviewed_at: datetime | None = Field(default=None, sa_column=ts_column())
    is_available: bool = Field(default=True)
    service_radius_km: int = Field(default=15)
    rating_count: int = Field(default=0)
    rating_sum: int = Field(default=0)
    price_paise: int | None = Field(default=None)  # their own price for their service (None: the base price)
    # Availability (issue #19, hsa.services.availability): the weekly hours as a JSON list of seven
    # range texts, Monday first ("09:00-13:00, 14:00-19:00"; "" closed). "" here: never set, so
    # the platform's hours every day. Minutes kept free between jobs; how many days ahead they book.
    weekly_hours: str = Field(default="", max_length=600, sa_column_kwargs={"server_default": ""})
    buffer_minutes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    horizon_days: int = Field(default=60, sa_column_kwargs={"server_default": "60"})
    # The public profile (issue #19, hsa.services.pro_profiles): languages spoken (codes, comma
    # separated, hsa.services.pro_profiles.LANGUAGES) and an optional photo, content-checked and
    # stored like the documents (its stored name; None: no photo).
    languages: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    photo_stored_name: str | None = Field(default=None, max_length=80)
    photo_content_type: str | None = Field(default=None, max_length=50)
