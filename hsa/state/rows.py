"""Typed rows for UI state, built from service views (dataclasses are valid Reflex var types)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime

from babel.dates import get_day_names, get_month_names

from hsa import routes
from hsa.i18n import BABEL_LOCALES, DEFAULT, current, formats
from hsa.i18n.text import say, tr
from hsa.services.jobs import ReviewView
from hsa.services.process.disputes_declared import OUTCOMES, REASONS
from hsa.services.request_views import RequestView
from hsa.services.scheduling import IST
from hsa.services.search import ProfessionalCard
from hsa.services.tracking import TrackingView
from hsa.services.wording import distance_label


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


_WORDED = ("timeline", "distance", "day", "time", "bill", "invoices", "profile_href", "book_again_href",
           "cancelled_by")
# Texts the services build (names, notes, reasons): said in the current event's language.
_SAID = frozenset({"service_name", "locality", "cancel_reason", "payment_error", "refund_note", "cancel_terms",
                   "earns", "dispute_reason", "dispute_outcome"})
_MOMENTS = frozenset({"reschedule_to", "start_opens"})  # "Tue 1 Dec, 10:30" from the service
_SAME = [f.name for f in fields(RequestRow) if f.name not in _WORDED]
# Who cancelled ("customer", "professional", "admin"; "HomeServe" is the same in every language).
_WHO = {"customer": "cards.who_customer", "professional": "cards.who_professional",
        "admin": "cards.who_admin"}
# The service's timeline steps -> their catalog keys.
_STEPS = {"Booked": "cards.step_booked", "Accepted": "cards.step_accepted", "Started": "cards.step_started",
          "Completed": "cards.step_completed", "Closed": "cards.step_closed", "Cancelled": "cards.step_cancelled"}

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MOMENT = re.compile(rf"^({'|'.join(_WEEKDAYS)}) (\d{{1,2}}) ({'|'.join(_MONTHS)})(, \d\d:\d\d)?$")


def said_moment(label: str) -> str:
    """A service's 'Tue 1 Dec, 10:30' (or 'Tue 1 Dec') in the current language ('मंगल 1 दिस॰, 10:30'),
    as `hsa.i18n.formats.moment` / `day` write it. English stays as the service wrote it (CLDR's
    English says 'Sept', the service 'Sep')."""
    lang = current()
    found = _MOMENT.match(label or "")
    if lang == DEFAULT or found is None:
        return label
    locale = BABEL_LOCALES[lang]
    weekday = get_day_names("abbreviated", locale=locale)[_WEEKDAYS.index(found[1])]
    month = get_month_names("abbreviated", locale=locale)[_MONTHS.index(found[3]) + 1]
    return f"{weekday} {found[2]} {month}{found[4] or ''}"


def _moment(at: datetime, english: str) -> str:
    """`at` (IST) in the current language; the service's own English label in English."""
    return english if current() == DEFAULT else formats.moment(at.astimezone(IST))


def _same(name: str, value: object) -> object:
    if name in _SAID and isinstance(value, str):
        return say(value)
    if name in _MOMENTS and isinstance(value, str):
        return said_moment(value)
    return value


def distance_words(km: float | None, *, approximate: bool = False) -> str:
    """`hsa.services.wording.distance_label` in the current language ('under 1 km', '3.4 km')."""
    label = distance_label(km, approximate=approximate)
    if label in ("under 1 km", "under 50 m"):
        return tr("cards.under_1_km" if label == "under 1 km" else "cards.under_50_m")
    number, _, unit = label.rpartition(" ")
    if unit == "km":
        return tr("cards.km", distance=number)
    if unit == "m":
        return tr("cards.metres", distance=number)
    return label


def request_row(v: RequestView) -> RequestRow:
    """Every field the row shares with the view by name is copied (a new view field needs only
    its row declaration), service texts said in the current language; the rest are worded for
    the page."""
    local = v.scheduled_at.astimezone(IST)
    row = RequestRow(
        **{name: _same(name, getattr(v, name)) for name in _SAME},
        distance=tr("cards.distance_away", distance=distance_words(v.distance_km, approximate=True))
        if v.distance_km is not None else "",
        day=local.date().isoformat(), time=f"{local:%H:%M}",
        timeline=[TimelineEntry(label=tr(_STEPS[a]) if a in _STEPS else say(a), when=said_moment(b))
                  for a, b in v.timeline],
        bill=[BillLine(label=say(a), amount=b) for a, b in v.bill],
        invoices=[InvoiceLink(number=n, url=u) for n, u in v.invoices],
        profile_href=routes.profile_url(v.professional_ref) if v.professional_ref else "",
        book_again_href=routes.book_url(v.service_id, v.professional_ref) if v.rebook else "",
        cancelled_by=tr(_WHO[v.cancelled_by]) if v.cancelled_by in _WHO else v.cancelled_by,
    )
    row.when = _moment(v.scheduled_at, v.when)
    return row


def _reviews_label(count: int) -> str:
    """'No reviews yet', '1 review', '1,234 reviews'."""
    if count == 0:
        return tr("cards.reviews_none")
    return tr("cards.reviews_one" if count == 1 else "cards.reviews_many", count=formats.number(count))


def _experience(years: int) -> str:
    """'Less than a year of experience', '1 year of experience', '5 years of experience'."""
    if years <= 0:
        return tr("cards.experience_none")
    return tr("cards.experience_one" if years == 1 else "cards.experience_many", years=formats.number(years))


def pro_row(c: ProfessionalCard) -> ProRow:
    return ProRow(
        user_id=c.user_id, full_name=c.full_name, service_id=c.service_id, service_name=say(c.service_name),
        experience_years=c.experience_years, bio=c.bio,
        rating=f"{c.rating_avg:.1f}" if c.rating_count else tr("cards.rating_new"), rating_count=c.rating_count,
        rating_count_label=_reviews_label(c.rating_count),
        experience_label=_experience(c.experience_years),
        locality=say(c.locality), distance=distance_words(c.distance_km, approximate=True),
        price=price_label(c.price_paise, c.base_price_paise),
    )


def price_label(price_paise: int, base_paise: int) -> str:
    """A professional's price; the base beside it only when theirs differs, so a customer can compare."""
    if price_paise == base_paise:
        return formats.rupees(price_paise)
    return tr("cards.price_with_base", price=formats.rupees(price_paise), base=formats.rupees(base_paise))


def review_row(r: ReviewView) -> ReviewRow:
    return ReviewRow(rating=r.rating, comment=r.comment, customer_name=r.customer_name, when=said_moment(r.when),
                     id=r.id, flag=r.flag, moderation_note=r.moderation_note)


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
    eta = "" if v.eta_minutes is None else (
        tr("cards.eta_now") if v.arriving else tr("cards.eta_minutes", minutes=v.eta_minutes))
    return TrackRow(
        request_id=v.request_id, label=say(v.label), professional_name=v.professional_name,
        distance=distance_words(v.distance_km), eta=eta, arriving=v.arriving,
        updated="" if v.updated_seconds_ago is None else tr("cards.updated_ago", seconds=v.updated_seconds_ago),
        stale=v.stale, has_fix=has_fix,
        destination=[v.destination_lat or 0.0, v.destination_lon or 0.0],
        professional=[v.pro_lat or 0.0, v.pro_lon or 0.0] if has_fix else [0.0, 0.0],
    )


def dispute_reason_choices() -> list[tuple[str, str]]:
    """(value, label) of "what went wrong", for the customer's "Report a problem" form."""
    return [(r.value, say(label)) for r, label in REASONS.items()]


def dispute_outcome_choices() -> list[tuple[str, str]]:
    """(value, label) of the admin's decisions."""
    return [(o.value, _capital(say(label))) for o, label in OUTCOMES.items()]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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
