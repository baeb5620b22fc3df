"""A customer's favourite professionals: saved from a profile, listed on their home page with
"Book again" (issue #19). Saving is idempotent (one row per pair) and throttled."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from hsa.i18n.text import msg
from hsa.models import Favourite, Role
from hsa.services import search, throttle
from hsa.services.actors import Actor
from hsa.services.errors import NotFound, ValidationFailed
from hsa.services.permissions import require_role
from hsa.services.pro_profiles import public_profile
from hsa.services.views import rupees

SAVE_LIMIT = "60/hour;300/day"
MAX_SHOWN = 50


@dataclass(frozen=True)
class FavouriteView:
    user_id: int
    full_name: str
    service_id: int
    service_name: str
    rating: str
    price: str
    bookable: bool   # approved, active and on duty now


def save(*, session: Session, actor: Actor | None, professional_id: int) -> bool:
    """Save a professional (only one with a public profile); saving again changes nothing."""
    actor = require_role(actor, Role.customer)
    public_profile(session=session, actor=actor, user_id=professional_id)  # NotFound for anyone else
    if session.exec(select(Favourite.id).where(Favourite.customer_id == actor.id,
                                               Favourite.professional_id == professional_id)).first():
        return True
    if (wait := throttle.take(SAVE_LIMIT, "favourite", str(actor.id))) > 0:
        raise ValidationFailed({"favourite": msg("svc_booking.too_many_changes", wait=throttle.in_words(wait))})
    session.add(Favourite(customer_id=actor.id, professional_id=professional_id))
    session.commit()
    return True


def remove(*, session: Session, actor: Actor | None, professional_id: int) -> bool:
    """Forget a saved professional (removing twice is harmless); returns False: not saved now."""
    actor = require_role(actor, Role.customer)
    session.exec(delete(Favourite).where(  # type: ignore[call-overload]
        col(Favourite.customer_id) == actor.id, col(Favourite.professional_id) == professional_id))
    session.commit()
    return False


def list_favourites(*, session: Session, actor: Actor | None) -> list[FavouriteView]:
    """The customer's saved professionals, newest first; those who can no longer be booked say so."""
    actor = require_role(actor, Role.customer)
    ids = list(session.exec(select(Favourite.professional_id).where(Favourite.customer_id == actor.id)
                            .order_by(col(Favourite.id).desc()).limit(MAX_SHOWN)))
    out = []
    for pro_id in ids:
        try:
            p = public_profile(session=session, actor=actor, user_id=pro_id, reviews=1)
        except NotFound:
            continue  # no longer approved or active: nothing public to show
        card = search.card_of(session, pro_id)
        out.append(FavouriteView(pro_id, p.full_name, p.service_id, p.service_name, p.rating,
                                 rupees(card.price_paise) if card else "", card is not None))
    return out


__all__ = ["FavouriteView", "list_favourites", "remove", "save"]
