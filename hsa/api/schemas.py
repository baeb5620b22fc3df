"""Request and response bodies of the public API (documented in /api/v1/openapi.json)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hsa.services.request_views import RequestView
from hsa.services.search import ProfessionalCard
from hsa.services.views import ServiceView


class Credentials(BaseModel):
    """Unknown fields are refused (422), like every request body here: a client sending `role` or
    a misspelt field learns at once that it was not applied."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=254, examples=["asha@example.com"])
    password: str = Field(max_length=200, examples=["DemoPass123"])
    device_token: str = Field(default="", max_length=120, description=(
        "The `device_token` an earlier sign-in returned: this client may still sign in while the "
        "account is under attack from elsewhere."))


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    user_id: int
    role: str
    device_token: str = Field(description="Keep it and send it with later sign-ins from this client.")


class ServiceOut(BaseModel):
    id: int
    name: str
    description: str
    base_price_paise: int
    duration_minutes: int
    is_active: bool

    @classmethod
    def of(cls, v: ServiceView) -> ServiceOut:
        return cls(**v.__dict__)


class ProfessionalOut(BaseModel):
    user_id: int
    full_name: str
    service_id: int
    service_name: str
    experience_years: int
    bio: str
    rating_avg: float
    rating_count: int
    locality: str
    distance_km: float | None

    @classmethod
    def of(cls, c: ProfessionalCard) -> ProfessionalOut:
        return cls(**{k: v for k, v in c.__dict__.items() if k != "score"})


class TimelineEntry(BaseModel):
    event: str
    at: str


class BookingOut(BaseModel):
    id: int
    service_name: str
    status: str
    scheduled_at: datetime
    address: str
    pincode: str
    locality: str
    remarks: str
    total_paise: int
    extra_charge_reason: str
    customer_name: str
    professional_id: int | None
    professional_name: str
    preferred_professional_name: str
    cancel_reason: str
    cancelled_by: str
    decline_reason: str
    paid: bool
    payment_method: str
    rating: int
    review: str
    distance_km: float | None
    timeline: list[TimelineEntry]
    actions: list[str]

    @classmethod
    def of(cls, v: RequestView) -> BookingOut:
        data = {k: getattr(v, k) for k in cls.model_fields if k != "timeline"}
        return cls(**data, timeline=[TimelineEntry(event=e, at=t) for e, t in v.timeline])


class BookingPage(BaseModel):
    items: list[BookingOut]
    total: int
    page: int


class BookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    service_id: int = Field(gt=0, lt=2**31)
    day: str = Field(max_length=10, examples=["2026-12-01"], description="Date in India (IST)")
    time: str = Field(max_length=5, examples=["10:30"], description="Start time in IST, 08:00-20:00")
    address: str = Field(max_length=300)
    pincode: str = Field(max_length=10)
    remarks: str = Field(default="", max_length=500)
    preferred_professional_id: int | None = Field(default=None, gt=0, lt=2**31)


class BookingEditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    day: str = Field(max_length=10)
    time: str = Field(max_length=5)
    remarks: str = Field(default="", max_length=500)


class ActionIn(BaseModel):
    """Fields an action may need: reason (cancel, decline), extra charge (complete), method (pay),
    rating and comment (close)."""

    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(default=None, max_length=300)
    extra_charge_rupees: int | None = Field(default=None, ge=0, le=100_000)
    extra_charge_reason: str | None = Field(default=None, max_length=300)
    method: Literal["cash", "upi", "card"] | None = None
    rating: int | None = Field(default=None, ge=1, le=5)
    comment: str | None = Field(default=None, max_length=1000)


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=1000)


class AvailabilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    available: bool
    radius_km: int | None = Field(default=None, ge=1, le=100)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=500)


class ServiceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=80)
    description: str = Field(default="", max_length=500)
    base_price_rupees: int = Field(ge=0, le=1_000_000)
    duration_minutes: int = Field(ge=15, le=720)


class ApplicantOut(BaseModel):
    user_id: int
    full_name: str
    email: str
    service_name: str
    experience_years: int
    approval_status: str
    has_document: bool


class SummaryOut(BaseModel):
    customers: int
    professionals_approved: int
    professionals_pending: int
    requests_today: int
    completion_rate: float | None
    average_rating: float | None
    ratings_count: int
    revenue_month_paise: int
    by_status: dict[str, int]
    rating_distribution: dict[str, int]
    bookings_per_day: list[tuple[str, int]]
    top_services: list[tuple[str, int]]
    top_pincodes: list[tuple[str, int]]
