"""The professional's quality standing on their home page: a warning with its specifics, or the
pause with the appeal form and the admin's answer."""

from __future__ import annotations

import reflex as rx

from hsa.components.forms import form, notice, submit_button, text_area
from hsa.state.quality import QualityState


def standing_panel() -> rx.Component:
    s = QualityState
    appeal_form = form(
        rx.vstack(
            text_area("Your appeal: what happened, and what you will do differently", "appeal", s.errors,
                      max_length=1000, required=True),
            submit_button("Send appeal", busy=s.busy),
            spacing="2", width="100%"),
        on_submit=s.send_appeal, name="quality-appeal", busy=s.busy, width="100%", id="appeal-form",
    )
    return rx.fragment(
        notice(s.notice, id="appeal-notice"),
        rx.match(
            s.level,
            ("warned", rx.callout(rx.vstack(rx.text("Quality warning", weight="bold"), rx.text(s.reason), spacing="1"),
                                  icon="triangle_alert", color_scheme="amber", id="quality", width="100%")),
            ("suspended", rx.callout(rx.vstack(
                rx.text("New jobs are paused", weight="bold"),
                rx.text(s.reason),
                rx.cond(s.decision == "kept",
                        rx.text("HomeServe reviewed your appeal and kept the pause: ", s.decision_reason)),
                rx.cond(s.appealed,
                        rx.text("Your appeal: “", s.appeal, "” — HomeServe will tell you here.", size="2"),
                        appeal_form),
                spacing="2", width="100%"), icon="octagon_pause", color_scheme="red", id="quality", width="100%")),
            rx.fragment(),
        ),
    )
