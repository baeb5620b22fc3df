"""Typed rows for UI state, built from service views (dataclasses are valid Reflex var types)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from hsa import routes
from hsa.services.jobs import ReviewView
from hsa.services.process.disputes_declared import OUTCOMES, REASONS
from hsa.services.request_views import RequestView
from hsa.services.scheduling import IST
from hsa.services.search import ProfessionalCard
from hsa.services.tracking import TrackingView
from hsa.services.views import rupees
from hsa.services.wording import distance_label, experience_label, plural


@dataclass
class TimelineEntry:
    label: str = ""
    when: str = ""


@dataclass
class BillLine:
    label: str = ""
    amount: str = ""


@dataclass
class InvoiceLink:
    number: str = ""
    url: str = ""


@dataclass
class RequestRow:
    id: int = 0
    service_name: str = ""
    status: str = ""
    when: str = ""
    address: str = ""
    pincode: str = ""
    locality: str = ""
    remarks: str = ""
    price: str = ""
    extra_charge: str = ""
    extra_charge_reason: str = ""
    total: str = ""
    customer_name: str = ""
    customer_phone: str = ""
    professional_name: str = ""
    professional_phone: str = ""
    preferred_professional_name: str = ""
    cancel_reason: str = ""
    cancelled_by: str = ""
    decline_reason: str = ""
    paid: bool = False
    payment_method: str = ""
    rating: int = 0
    review: str = ""
    distance: str = ""
    day: str = ""
    time: str = ""
    timeline: list[TimelineEntry] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    start_code: str = ""
    code_locked: bool = False
    completion_code: bool = False
    pending_extra: str = ""
    pending_extra_reason: str = ""
    reschedule_to: str = ""
    reschedule_by: str = ""
    start_opens: str = ""
    chat_open: bool = False
    can_dispute: bool = False
    dispute_status: str = ""
    dispute_reason: str = ""
    dispute_details: str = ""
    dispute_answer: str = ""
    dispute_outcome: str = ""
    dispute_note: str = ""
    dispute_photo_url: str = ""
    may_add_photo: bool = False
    bill: list[BillLine] = field(default_factory=list)
    paid_amount: str = ""
    balance: str = ""
    balance_paise: int = 0
    can_pay: bool = False
    payment_error: str = ""
    refund_note: str = ""
    cancel_terms: str = ""
    earns: str = ""
    invoices: list[InvoiceLink] = field(default_factory=list)
    service_id: int = 0
    professional_ref: int = 0   # the assigned professional (0: none)
    rebook: bool = False        # show "Book again" (a finished job, the customer's own)
    profile_href: str = ""      # their public profile
    book_again_href: str = ""   # the booking form addressed to them


@dataclass
class ProRow:
    user_id: int = 0
    full_name: str = ""
    service_id: int = 0
    service_name: str = ""
    experience_years: int = 0
    bio: str = ""
    rating: str = ""
    rating_count: int = 0
    rating_count_label: str = ""  # "1 review", "12 reviews", "No reviews yet"
    experience_label: str = ""    # "1 year of experience"
    locality: str = ""
    distance: str = ""            # "under 1 km", "3.4 km", "12 km"
    price: str = ""               # "₹549 · base ₹499" (their own price), or "₹499" (the base)


@dataclass
class ReviewRow:
    rating: int = 0
    comment: str = ""
    customer_name: str = ""
    when: str = ""
    id: int = 0
    flag: str = ""             # '', waiting, hidden, kept (hsa.services.review_flags)
    moderation_note: str = ""


_WORDED = ("timeline", "distance", "day", "time", "bill", "invoices", "profile_href", "book_again_href")
_SAME = [f.name for f in fields(RequestRow) if f.name not in _WORDED]


def request_row(v: RequestView) -> RequestRow:
    """Every field the row shares with the view by name is copied (a new view field needs only
    its row declaration); the rest are worded for the page."""
    local = v.scheduled_at.astimezone(IST)
    return RequestRow(
        **{name: getattr(v, name) for name in _SAME},
        distance=f"{distance_label(v.distance_km, approximate=True)} away" if v.distance_km is not None else "",
        day=local.date().isoformat(), time=f"{local:%H:%M}",
        timeline=[TimelineEntry(label=a, when=b) for a, b in v.timeline],
        bill=[BillLine(label=a, amount=b) for a, b in v.bill],
        invoices=[InvoiceLink(number=n, url=u) for n, u in v.invoices],
        profile_href=routes.profile_url(v.professional_ref) if v.professional_ref else "",
        book_again_href=routes.book_url(v.service_id, v.professional_ref) if v.rebook else "",
    )


def pro_row(c: ProfessionalCard) -> ProRow:
    return ProRow(
        user_id=c.user_id, full_name=c.full_name, service_id=c.service_id, service_name=c.service_name,
        experience_years=c.experience_years, bio=c.bio,
        rating=f"{c.rating_avg:.1f}" if c.rating_count else "New", rating_count=c.rating_count,
        rating_count_label=plural(c.rating_count, "review", zero="No reviews yet"),
        experience_label=experience_label(c.experience_years),
        locality=c.locality, distance=distance_label(c.distance_km, approximate=True),
        price=price_label(c.price_paise, c.base_price_paise),
    )


def price_label(price_paise: int, base_paise: int) -> str:
    """A professional's price; the base beside it only when theirs differs, so a customer can compare."""
    return rupees(price_paise) if price_paise == base_paise else f"{rupees(price_paise)} · base {rupees(base_paise)}"


def review_row(r: ReviewView) -> ReviewRow:
    return ReviewRow(rating=r.rating, comment=r.comment, customer_name=r.customer_name, when=r.when, id=r.id,
                     flag=r.flag, moderation_note=r.moderation_note)


@dataclass
class TrackRow:
    request_id: int = 0
    label: str = ""
    professional_name: str = ""
    distance: str = ""
    eta: str = ""
    arriving: bool = False
    updated: str = ""
    stale: bool = False
    has_fix: bool = False
    destination: list[float] = field(default_factory=lambda: [0.0, 0.0])
    professional: list[float] = field(default_factory=lambda: [0.0, 0.0])


def track_row(v: TrackingView) -> TrackRow:
    has_fix = v.pro_lat is not None and v.pro_lon is not None
    eta = "" if v.eta_minutes is None else ("Arriving now" if v.arriving else f"About {v.eta_minutes} min")
    return TrackRow(
        request_id=v.request_id, label=v.label, professional_name=v.professional_name,
        distance=distance_label(v.distance_km), eta=eta, arriving=v.arriving,
        updated="" if v.updated_seconds_ago is None else f"Updated {v.updated_seconds_ago} s ago",
        stale=v.stale, has_fix=has_fix,
        destination=[v.destination_lat or 0.0, v.destination_lon or 0.0],
        professional=[v.pro_lat or 0.0, v.pro_lon or 0.0] if has_fix else [0.0, 0.0],
    )


def dispute_reason_choices() -> list[tuple[str, str]]:
    """(value, label) of "what went wrong", for the customer's "Report a problem" form."""
    return [(r.value, label) for r, label in REASONS.items()]


def dispute_outcome_choices() -> list[tuple[str, str]]:
    """(value, label) of the admin's decisions."""
    return [(o.value, label[0].upper() + label[1:]) for o, label in OUTCOMES.items()]


@dataclass
class OverrideRow:
    """One date that differs from the weekly hours (the professional's "Working hours" page)."""

    day: str = ""     # ISO date, what "Remove" sends back
    label: str = ""   # "Tue 8 Dec"
    hours: str = ""   # "Off all day" or "10:00-14:00"


@dataclass
class DayChip:
    """One day of the booking form's slot picker."""

    value: str = ""   # ISO date, the form's `day`
    label: str = ""   # "Tue 8 Dec"
    open: bool = False  # any start time free that day
