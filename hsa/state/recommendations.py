"""'Recommended for you' on the customer's home page: the service's picks as display rows.

Its own small state (not more fields on CustomerHomeState) so the panel loads on its own, after
the page, and a slow fit never holds up the search form. Rows carry only what the card shows:
the professional's public card fields and a reason about the customer's own bookings.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n.text import say, tr
from hsa.services.errors import DomainError
from hsa.services.intelligence.recommend import Recommendation, recommended_for
from hsa.state.auth import call_as_actor
from hsa.state.rows import pro_row
from hsa.state.values import as_int


@dataclass
class RecommendRow:
    user_id: int = 0
    full_name: str = ""
    service_name: str = ""
    rating: str = ""
    rating_count_label: str = ""
    price: str = ""
    reason: str = ""
    action: str = ""   # "Book again" or "Book", in the current language
    again: bool = False  # booked this professional before (the button is the solid one)
    href: str = ""     # the booking form with this professional preferred, as search's cards link it


def recommend_row(r: Recommendation) -> RecommendRow:
    pro = pro_row(r.card)
    return RecommendRow(user_id=pro.user_id, full_name=pro.full_name, service_name=pro.service_name,
                        rating=pro.rating, rating_count_label=pro.rating_count_label, price=pro.price,
                        reason=say(r.reason), again=r.book_again,
                        action=tr("booking.book_again") if r.book_again else tr("booking.book"),
                        href=routes.book_url(pro.service_id, pro.user_id))


class RecommendState(rx.State):
    picks: list[RecommendRow] = []
    error: str = ""
    loaded: bool = False

    @rx.event
    async def load(self, service_id: str = "") -> None:
        """For the whole catalog on the home page, or for the service just searched."""
        try:
            _, recs = await call_as_actor(self, recommended_for, service_id=as_int(service_id), readonly=True)
        except DomainError as exc:
            self.picks, self.error = [], exc.message
        else:
            self.picks, self.error = [recommend_row(r) for r in recs or []], ""
        self.loaded = True
