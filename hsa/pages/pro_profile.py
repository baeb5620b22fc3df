"""A professional's public profile: what a customer reads before booking them (issue #19)."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP
from hsa.components.layout import template
from hsa.state.locale import t, tf
from hsa.state.pro_profile import ProProfileState as S


def _stars(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(row.stars.to_string() + "★", size="2", class_name="star-label", aria_hidden="true"),
        rx.box(rx.box(class_name="star-fill", width=row.share.to_string() + "%"), class_name="star-bar",
               aria_hidden="true"),
        rx.text(row.count, size="2", class_name="star-count", aria_hidden="true"),
        rx.text(row.label, class_name="sr-only"),
        class_name="star-row",
    )


def _review(r: rx.Var) -> rx.Component:
    return rx.el.li(rx.vstack(
        rx.hstack(rx.text("★ ", r.rating, aria_label=tf("public.rating_out_of_5", rating=r.rating), weight="bold"),
                  rx.text(r.by, " · ", r.when, size="2", color_scheme="gray"), spacing="2", wrap="wrap"),
        rx.cond(r.comment != "", rx.text(r.comment, size="2")),
        spacing="1"), class_name="review-item")


def _favourite_button() -> rx.Component:
    return rx.cond(S.can_favourite, rx.cond(
        S.favourite,
        rx.button(t("public.favourite_saved"), variant="soft", size="3", min_height=TAP,
                  on_click=S.forget_favourite, id="favourite", aria_pressed="true"),
        rx.button(t("public.favourite_save"), variant="outline", size="3", min_height=TAP, on_click=S.save_favourite,
                  id="favourite", aria_pressed="false"),
    ))


def _profile() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.cond(S.photo_url != "", rx.image(src=S.photo_url, alt=tf("public.photo_of", name=S.full_name),
                                                width="96px", height="96px", class_name="pro-photo", id="pro-photo"),
                    rx.avatar(fallback=S.full_name[0], size="6", aria_hidden="true")),
            rx.vstack(
                rx.heading(S.full_name, size="7", id="pro-name"),
                rx.text(S.service_name, " · ", S.experience, size="3"),
                rx.text(S.area, size="2", color_scheme="gray", id="pro-area"),
                spacing="1"),
            spacing="4", align="center", wrap="wrap",
        ),
        rx.cond(S.bio != "", rx.text(S.bio, size="3", id="pro-bio")),
        rx.el.dl(
            rx.el.div(rx.el.dt(t("public.rating")), rx.el.dd(rx.cond(S.rating != "", "★ " + S.rating + " · ", ""),
                                                   S.rating_label), class_name="bill-line"),
            rx.el.div(rx.el.dt(t("public.jobs")), rx.el.dd(S.jobs_done, id="pro-jobs"), class_name="bill-line"),
            rx.cond(S.languages != "", rx.el.div(rx.el.dt(t("public.speaks")),
                                                 rx.el.dd(S.languages, id="pro-languages"), class_name="bill-line")),
            rx.cond(S.price != "", rx.el.div(rx.el.dt(t("public.price")), rx.el.dd(S.price), class_name="bill-line")),
            class_name="bill", id="pro-facts"),
        rx.hstack(
            rx.cond(S.bookable,
                    rx.link(rx.button(tf("public.book_name", name=S.full_name.split(" ")[0]), size="3", min_height=TAP),
                            href=S.book_href, id="book-pro"),
                    rx.text(t("public.not_bookable"), size="2", id="book-pro")),
            _favourite_button(),
            spacing="2", wrap="wrap"),
        rx.cond(S.error != "", rx.text(S.error, color_scheme="red", role="alert", id="profile-error")),
        rx.heading(t("public.ratings"), size="5", as_="h2"),
        rx.el.ul(rx.foreach(S.stars, _stars), class_name="star-list", id="rating-distribution",
                 aria_label=tf("public.rated_by", name=S.full_name)),
        rx.heading(t("public.reviews"), size="5", as_="h2"),
        rx.cond(S.reviews.length() > 0,
                rx.el.ul(rx.foreach(S.reviews, _review), class_name="review-list", id="reviews"),
                rx.text(t("public.no_reviews"), size="2", id="reviews")),
        rx.cond(S.more_reviews, rx.button(t("public.more_reviews"), variant="soft", size="3", min_height=TAP,
                                          on_click=S.more, id="more-reviews")),
        spacing="4", width="100%", id="pro-profile",
    )


@template(route=routes.PRO_PROFILE, title="public.title", on_load=S.load)
def pro_profile() -> rx.Component:
    return rx.cond(S.loaded, rx.box(rx.cond(
        S.found, _profile(),
        rx.vstack(rx.heading(t("public.not_found"), size="6"),
                  rx.text(t("public.not_available"), size="3"),
                  rx.link(t("public.find_professional"), href=routes.CUSTOMER_HOME, class_name="inline-link"),
                  spacing="3", id="pro-profile")),
        class_name="narrow", id="pro-profile-page"), rx.spinner(size="3"))
