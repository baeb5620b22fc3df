"""'Your favourites' on the customer's home: saved professionals with Book and their profile."""

from __future__ import annotations

import reflex as rx

from hsa.components.forms import TAP
from hsa.state.locale import t
from hsa.state.pro_profile import FavouritesState as F


def _row(f: rx.Var) -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(rx.link(f.full_name, href=f.profile_href, class_name="profile-link"), size="4", as_="h3"),
        rx.text(f.service_name, rx.cond(f.rating != "", " · ★ " + f.rating, ""),
                rx.cond(f.price != "", " · " + f.price, ""), size="2"),
        rx.cond(f.bookable,
                rx.link(rx.button(t("booking.book_again"), size="3", width="100%", min_height=TAP), href=f.book_href,
                        width="100%"),
                rx.text(t("booking.not_taking_bookings"), size="2", color_scheme="gray")),
        spacing="2", align="start", width="100%"), class_name="favourite-card")


def favourites_panel() -> rx.Component:
    """Shown only when there is something saved (it loads after the page, on mount)."""
    return rx.box(rx.cond(F.rows.length() > 0, rx.vstack(
        rx.heading(t("booking.your_favourites"), size="5", as_="h2"),
        rx.box(rx.foreach(F.rows, _row), class_name="card-grid"),
        spacing="2", width="100%")), on_mount=F.load, id="favourites", width="100%")
