"""A professional's public profile page (`/pro?id=`), and a customer's favourites on their home."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n import formats
from hsa.i18n.text import say, tr
from hsa.models import Role
from hsa.services import favourites, pro_profiles
from hsa.services.errors import DomainError
from hsa.state.auth import call_as_actor, fail, guard_page
from hsa.state.rows import said_moment
from hsa.state.values import as_id


@dataclass
class StarRow:
    stars: int = 0
    count: int = 0
    share: int = 0     # percent of all reviews, the bar's width
    label: str = ""    # "5★: 12 reviews"


@dataclass
class PublicReviewRow:
    rating: int = 0
    comment: str = ""
    by: str = ""
    when: str = ""


@dataclass
class FavouriteRow:
    user_id: int = 0
    full_name: str = ""
    service_name: str = ""
    rating: str = ""
    price: str = ""
    bookable: bool = False
    book_href: str = ""
    profile_href: str = ""


def _counted(n: int, one: str, many: str) -> str:
    """'1 review', '12 reviews' in the event's language (`one` and `many` are catalog keys)."""
    return tr(one if n == 1 else many, count=formats.number(n))


class ProProfileState(rx.State):
    loaded: bool = False
    found: bool = False
    pro_id: int = 0
    full_name: str = ""
    service_name: str = ""
    experience: str = ""
    bio: str = ""
    photo_url: str = ""
    rating: str = ""
    rating_label: str = ""
    stars: list[StarRow] = []
    jobs_done: str = ""
    languages: str = ""
    area: str = ""
    price: str = ""
    bookable: bool = False
    book_href: str = ""
    reviews: list[PublicReviewRow] = []
    more_reviews: bool = False
    favourite: bool = False
    can_favourite: bool = False   # a signed-in customer
    error: str = ""
    _shown: int = pro_profiles.REVIEWS_PAGE

    def _show(self, p: pro_profiles.PublicProfile, *, customer: bool) -> None:
        self.found, self.pro_id, self.full_name = True, p.user_id, p.full_name
        self.service_name = say(p.service_name)
        self.experience = _counted(p.experience_years, "public.experience_one", "public.experience_many")
        self.bio, self.photo_url, self.rating = p.bio, p.photo_url, p.rating
        self.rating_label = (_counted(p.rating_count, "public.review_one", "public.review_many") if p.rating_count
                             else tr("public.no_reviews_label"))
        total = max(1, p.rating_count)
        self.stars = [StarRow(stars=s, count=n, share=round(100 * n / total),
                              label=f"{s}★: {_counted(n, 'public.review_one', 'public.review_many')}")
                      for s, n in p.distribution]
        self.jobs_done = _counted(p.jobs_completed, "public.jobs_one", "public.jobs_many")
        self.languages = ", ".join(p.languages)
        self.area, self.price, self.bookable = say(p.area), p.price, p.bookable
        self.book_href = routes.book_url(p.service_id, p.user_id)
        self.reviews = [PublicReviewRow(rating=r.rating, comment=r.comment, by=say(r.by), when=said_moment(r.when))
                        for r in p.reviews]
        self.more_reviews, self.favourite, self.can_favourite = p.more_reviews, p.favourite, customer

    async def _fetch(self) -> None:
        try:
            actor, p = await call_as_actor(self, pro_profiles.public_profile, readonly=True, user_id=self.pro_id,
                                           reviews=self._shown)
        except DomainError:
            self.found = False
            return
        assert p is not None
        self._show(p, customer=actor is not None and actor.role is Role.customer)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loaded, self.found, self.error = False, False, ""
        self._shown = pro_profiles.REVIEWS_PAGE
        self.pro_id = as_id(self.router.url.query_parameters.get("id")) or 0
        _, _, redirect = await guard_page(self, routes.PRO_PROFILE)
        if redirect:
            return redirect
        if self.pro_id:
            await self._fetch()
        self.loaded = True
        return None

    @rx.event
    async def more(self) -> None:
        """Five more reviews (the service caps how many)."""
        self._shown = min(self._shown + pro_profiles.REVIEWS_PAGE, pro_profiles.REVIEWS_MAX)
        await self._fetch()

    async def _favourite(self, fn) -> rx.event.EventSpec | None:  # noqa: ANN001 - favourites.save / remove
        try:
            _, self.favourite = await call_as_actor(self, fn, professional_id=self.pro_id)
        except DomainError as exc:
            self.error = exc.message
            return await fail(self, exc)
        self.error = ""
        return None

    @rx.event
    async def save_favourite(self) -> rx.event.EventSpec | None:
        """Two handlers, not a toggle: a double click on "Save" saves once (the service is idempotent)
        instead of saving and forgetting."""
        return await self._favourite(favourites.save)

    @rx.event
    async def forget_favourite(self) -> rx.event.EventSpec | None:
        return await self._favourite(favourites.remove)


class FavouritesState(rx.State):
    """"Your favourites" on the customer's home page; loads on its own after the page."""

    rows: list[FavouriteRow] = []
    loaded: bool = False

    @rx.event
    async def load(self) -> None:
        try:
            _, views = await call_as_actor(self, favourites.list_favourites, readonly=True)
        except DomainError:
            views = []
        self.rows = [FavouriteRow(user_id=v.user_id, full_name=v.full_name, service_name=say(v.service_name),
                                  rating=v.rating, price=v.price, bookable=v.bookable,
                                  book_href=routes.book_url(v.service_id, v.user_id),
                                  profile_href=routes.profile_url(v.user_id)) for v in views or []]
        self.loaded = True
