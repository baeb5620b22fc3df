"""Prices before commitment (issue #16): what a booking would cost, and professionals' own prices.

The amounts come from `hsa.services.money.pricing`; this module adds who may ask and who may
change what. Quotes are recomputed here from the database on every call; nothing a form sends
is ever taken as a price, and `bookings.book` fixes the same numbers on the row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from hsa.i18n.text import msg
from hsa.models import ProfessionalProfile, Role, Service, User
from hsa.services import audit
from hsa.services.actors import Actor
from hsa.services.errors import NotFound, ValidationFailed
from hsa.services.money import pricing
from hsa.services.permissions import require_actor, require_role
from hsa.services.views import rupees
from hsa.settings import get_settings

PRICE_FIELD = "price_rupees"
NOT_A_PRICE = msg("svc_money.not_a_price")


@dataclass(frozen=True)
class QuoteView:
    """The bill the booking form shows before "Confirm booking", and the cancellation policy."""

    service_id: int
    lines: tuple[tuple[str, str], ...]  # (label, "₹…"), the last one is the total
    total_paise: int
    work_paise: int
    policy: str


@dataclass(frozen=True)
class OwnPriceView:
    """A professional's price for their service, as their profile page shows it."""

    service_name: str
    base_paise: int
    low_paise: int
    high_paise: int
    own_paise: int | None   # what they set (None: the base price), possibly outside a band narrowed since
    price_paise: int        # what customers see and book: their own clamped into today's band, or the base
    min_price_pct: int
    max_price_pct: int

    @property
    def band_label(self) -> str:
        return f"{rupees(self.low_paise)}–{rupees(self.high_paise)}"

    @property
    def field_value(self) -> str:
        """The field shows the price customers see (a clamped old price, not one the form would refuse)."""
        return "" if self.own_paise is None else str(self.price_paise // 100)


def _profile_of(session: Session, user_id: int) -> ProfessionalProfile | None:
    return session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user_id)).first()


def booking_quote(*, session: Session, actor: Actor | None, service_id: int,
                  professional_id: int | None = None) -> QuoteView:
    """The breakdown for booking `service_id`, at `professional_id`'s own price when they offer
    that service (an open booking, or a professional of another service, is at the base price)."""
    require_actor(actor)
    service = session.get(Service, service_id) if service_id else None
    if service is None or not service.is_active:
        raise ValidationFailed({"service_id": msg("svc_booking.choose_service")})
    profile = _profile_of(session, professional_id) if professional_id else None
    bill = pricing.quote(service, profile, platform_fee_paise=get_settings().platform_fee_paise)
    first_name = ""
    if profile is not None and profile.service_id == service.id:
        user = session.get(User, profile.user_id)
        first_name = user.full_name.split(" ")[0] if user else ""
    assert service.id is not None
    return QuoteView(service_id=service.id, lines=tuple(bill.lines(first_name)), total_paise=bill.total_paise,
                     work_paise=bill.work_paise, policy=pricing.cancel_policy(service))


def _own_view(service: Service, profile: ProfessionalProfile) -> OwnPriceView:
    low, high = pricing.band(service)
    return OwnPriceView(service_name=service.name, base_paise=service.base_price_paise, low_paise=low,
                        high_paise=high, own_paise=profile.price_paise,
                        price_paise=pricing.price_of(service, profile),
                        min_price_pct=service.min_price_pct, max_price_pct=service.max_price_pct)


def _mine(session: Session, actor: Actor) -> tuple[ProfessionalProfile, Service]:
    profile = _profile_of(session, actor.id)
    service = session.get(Service, profile.service_id) if profile is not None else None
    if profile is None or service is None:
        raise NotFound("professional profile")
    return profile, service


def own_price(*, session: Session, actor: Actor | None) -> OwnPriceView:
    """The signed-in professional's own price and the band they may choose from."""
    actor = require_role(actor, Role.professional)
    profile, service = _mine(session, actor)
    return _own_view(service, profile)


def parse_price(value: object) -> int | None:
    """'549' -> 549; '' / None -> None (the base price); anything else is the field's message."""
    text = "" if value is None else str(value).strip().removeprefix("₹").replace(",", "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise ValidationFailed({PRICE_FIELD: NOT_A_PRICE})
    return int(text)


def set_own_price(*, session: Session, actor: Actor | None, price_rupees: object) -> OwnPriceView:
    """A professional sets their own price for their own service (blank: back to the base price).

    Only the signed-in professional's own profile can be changed (there is no id to pass), and
    only within the admin's band; a refused value changes nothing. Pending professionals may set
    it too, so their price is ready when they are approved.
    """
    actor = require_role(actor, Role.professional)
    rupees_wanted = parse_price(price_rupees)
    profile, service = _mine(session, actor)
    paise = None if rupees_wanted is None else pricing.check_price(service, rupees_wanted)
    before = profile.price_paise
    profile.price_paise = paise
    session.add(profile)
    audit.record(session=session, actor_id=actor.id, action="professional.price_set", target_type="user",
                 target_id=actor.id, service_id=service.id, before_paise=before, after_paise=paise)
    session.commit()
    return _own_view(service, profile)


__all__ = ["NOT_A_PRICE", "PRICE_FIELD", "OwnPriceView", "QuoteView", "booking_quote", "own_price", "parse_price",
           "set_own_price"]
