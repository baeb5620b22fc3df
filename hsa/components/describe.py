""""Describe your problem": a text box, then the suggested service (or "not sure") with buttons
that open the booking form with that service and the words as remarks."""

from __future__ import annotations

import reflex as rx

from hsa.components.forms import TAP, form, submit_button, text_area
from hsa.state.describe import DescribeState, GuessRow


def _choice(g: GuessRow, *, primary: bool = False) -> rx.Component:
    label = rx.cond(primary, "Book " + g.name, g.name + " (" + g.confidence.to_string() + "%)")
    return rx.button(label, on_click=DescribeState.book(g.service_id), size="3", min_height=TAP, type="button",
                     variant="solid" if primary else "soft", id="suggest-" + g.service_id.to_string())


def _answer() -> rx.Component:
    s = DescribeState
    return rx.box(rx.cond(s.asked, rx.cond(
        s.sure,
        rx.vstack(
            rx.text("Looks like ", rx.text.strong(s.best.name), " · ", s.best.confidence.to_string(), "% sure",
                    id="suggested-service"),
            _choice(s.best, primary=True),
            rx.cond(s.alternatives.length() > 0, rx.vstack(
                rx.text("Not it? Also possible:", size="2"),
                rx.hstack(rx.foreach(s.alternatives, _choice), spacing="2", wrap="wrap"), spacing="1")),
            spacing="2", width="100%"),
        rx.vstack(
            rx.text("Not sure which service this is. Choose one, or add a few words and ask again.",
                    id="suggested-service"),
            rx.hstack(rx.foreach(s.alternatives, _choice), spacing="2", wrap="wrap"),
            spacing="2", width="100%"))),
        aria_live="polite", width="100%", id="describe-answer")


def describe_box() -> rx.Component:
    s = DescribeState
    return rx.card(rx.vstack(
        rx.heading("Describe your problem", size="4", as_="h2"),
        form(
            rx.vstack(
                text_area("What needs fixing or cleaning?", "describe", s.errors, max_length=300, required=True),
                rx.text('In your words, in English or Hinglish: "AC se paani gir raha hai".', size="1",
                        color_scheme="gray"),
                submit_button("Suggest a service", busy=s.busy),
                spacing="2", width="100%"),
            on_submit=s.ask, name="describe", busy=s.busy, width="100%", id="describe-form"),
        _answer(),
        spacing="3", width="100%"), width="100%", id="describe-card")
