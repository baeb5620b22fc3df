"""Request and response bodies of the public API (documented in /api/v1/openapi.json)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from hsa.services.admin import ServiceForm
from hsa.services.process.declaration import PROCESS
from hsa.services.process.model import Process
from hsa.services.request_views import RequestView
from hsa.services.schemas import BookingEdit, BookingForm, ReviewForm
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
    extra_cap_factor: int = Field(description="Extra charges on one job may add up to this many times the base price")
    completion_code: bool = Field(description="The professional also enters the customer's code at completion")
    min_price_pct: int = Field(description="Professionals' own prices: at least this % of the base price")
    max_price_pct: int = Field(description="... and at most this %")
    commission_bps: int = Field(description="HomeServe's commission on the work, in basis points")
    cancel_fee_paise: int = Field(description="A late cancellation's fee, GST included (docs/payments.md)")
    free_cancel_hours: int = Field(description="Free cancellation until this long before an accepted slot")

    @classmethod
    def of(cls, v: ServiceView) -> ServiceOut:
        return cls(**v.__dict__)


class ProfessionalOut(BaseModel):
    user_id: int
    full_name: str
    service_id: int
    service_name: str
    price_paise: int = Field(description="Their price for the service (their own within the band, else the base)")
    base_price_paise: int
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


class BillLine(BaseModel):
    label: str
    amount: str


class InvoiceLinkOut(BaseModel):
    number: str = Field(examples=["HS/2026-27/000001"])
    url: str = Field(description="The tax invoice PDF: a signed path on this host, valid for an hour, fetched "
                                 "without the bearer token; ask for the booking again for a fresh one")


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
    actions: list[str] = Field(description="Actions you may take now (see docs/booking-process.md)")
    start_code: str = Field(description="The customer's code for the professional to start (customer only)")
    code_locked: bool
    pending_extra: str = Field(description="An extra charge awaiting the customer's answer, e.g. ₹300")
    pending_extra_reason: str
    reschedule_to: str = Field(description="A proposed new time (IST), awaiting the other side's answer")
    reschedule_by: str
    balance_paise: int = Field(description="What the customer still owes (pay it on the web page, online or cash)")
    bill: list[BillLine] = Field(description="The price breakdown: base, own price, extras, platform fee, GST, total")
    cancel_terms: str = Field(description="What cancelling now would cost the customer (customer only)")
    invoices: list[InvoiceLinkOut] = Field(description="GST tax invoices once paid and done (customer, its "
                                                       "professional and admins only)")

    @classmethod
    def of(cls, v: RequestView) -> BookingOut:
        data = {k: getattr(v, k) for k in cls.model_fields if k not in ("timeline", "bill", "invoices")}
        data["bill"] = [BillLine(label=a, amount=b) for a, b in v.bill]
        data["invoices"] = [InvoiceLinkOut(number=n, url=u) for n, u in v.invoices]
        return cls(**data, timeline=[TimelineEntry(event=e, at=t) for e, t in v.timeline])


class BookingPage(BaseModel):
    items: list[BookingOut]
    total: int
    page: int


class BookingIn(BookingForm):
    """A booking, validated by the same schema as the booking form (IST date and time, 08:00-20:00)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "service_id": 1, "day": "2026-12-01", "time": "10:30", "address": "12 MG Road, Indiranagar",
        "pincode": "560038", "remarks": "Kitchen tap"}]})


class BookingEditIn(BookingEdit):
    """Move the slot or change remarks before acceptance (the edit form's schema)."""


def action_body(process: Process = PROCESS) -> type[BaseModel]:
    """The body of `POST /bookings/{id}/{action}`: every field any declared action's form has,
    all optional (the action's own service schema says which it needs and refuses the rest)."""
    fields: dict[str, Any] = {}
    for t in process.transitions:
        for f in t.ui.fields:
            if f.kind == "number" or f.name == "rating":
                kind: Any = int | None
            elif f.kind == "select":
                kind = Literal[tuple(v for v, _ in f.options)] | None  # type: ignore[misc]
            else:
                kind = str | None
            fields.setdefault(f.name, (kind, Field(default=None, max_length=f.max_length)
                                       if kind is str | None and f.max_length else None))
    return create_model("ActionIn", __config__=ConfigDict(extra="forbid"), **fields)


ActionIn = action_body()


class ReviewIn(ReviewForm):
    """A 1-5 star rating and an optional comment (the rating form's schema)."""


class AvailabilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    available: bool
    radius_km: int | None = Field(default=None, ge=1, le=100)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=500)


class ServiceIn(ServiceForm):
    """A catalog entry, validated by the admin console's own service form schema."""


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
