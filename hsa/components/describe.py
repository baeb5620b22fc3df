""""Describe your problem": a text box, then the suggested service (or "not sure") with buttons
that open the booking form with that service and the words as remarks."""

from __future__ import annotations

import reflex as rx

from hsa.components.forms import TAP, form, submit_button, text_area
from hsa.components.requests import with_strong
from hsa.state.describe import DescribeState, GuessRow
from hsa.state.locale import t, tf


def _choice(g: GuessRow, *, primary: bool = False) -> rx.Component:
    label = rx.cond(primary, tf("booking.book_service", service=g.name),
                    g.name + " (" + g.confidence.to_string() + "%)")
    return rx.button(label, on_click=DescribeState.book(g.service_id), size="3", min_height=TAP, type="button",
                     variant="solid" if primary else "soft", id="suggest-" + g.service_id.to_string())


def _answer() -> rx.Component:
    s = DescribeState
    return rx.box(rx.cond(s.asked, rx.cond(
        s.sure,
        rx.vstack(
            rx.text(*with_strong("booking.looks_like", "service", s.best.name), " · ",
                    tf("booking.percent_sure", percent=s.best.confidence), id="suggested-service"),
            _choice(s.best, primary=True),
            rx.cond(s.alternatives.length() > 0, rx.vstack(
                rx.text(t("booking.also_possible"), size="2"),
                rx.hstack(rx.foreach(s.alternatives, _choice), spacing="2", wrap="wrap"), spacing="1")),
            spacing="2", width="100%"),
        rx.vstack(
            rx.text(t("booking.not_sure_service"), id="suggested-service"),
            rx.hstack(rx.foreach(s.alternatives, _choice), spacing="2", wrap="wrap"),
            spacing="2", width="100%"))),
        aria_live="polite", width="100%", id="describe-answer")


def describe_box() -> rx.Component:
    s = DescribeState
    return rx.card(rx.vstack(
        rx.heading(t("booking.describe_heading"), size="4", as_="h2"),
        form(
            rx.vstack(
                text_area(t("booking.describe_label"), "describe", s.errors, max_length=300, required=True),
                rx.text(t("booking.describe_hint"), size="1", color_scheme="gray"),
                submit_button(t("booking.describe_submit"), busy=s.busy),
                spacing="2", width="100%"),
            on_submit=s.ask, name="describe", busy=s.busy, width="100%", id="describe-form"),
        _answer(),
        spacing="3", width="100%"), width="100%", id="describe-card")
