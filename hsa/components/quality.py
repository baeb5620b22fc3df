"""The professional's quality standing on their home page: a warning with its specifics, or the
pause with the appeal form and the admin's answer."""

from __future__ import annotations

import reflex as rx

from hsa.components.forms import form, notice, submit_button, text_area
from hsa.state.locale import t, tf
from hsa.state.quality import QualityState


def standing_panel() -> rx.Component:
    s = QualityState
    appeal_form = form(
        rx.vstack(
            text_area(t("pro.appeal_label"), "appeal", s.errors,
                      max_length=1000, required=True),
            submit_button(t("pro.send_appeal"), busy=s.busy),
            spacing="2", width="100%"),
        on_submit=s.send_appeal, name="quality-appeal", busy=s.busy, width="100%", id="appeal-form",
    )
    return rx.fragment(
        notice(s.notice, id="appeal-notice"),
        rx.match(
            s.level,
            ("warned", rx.callout(rx.vstack(rx.text(t("pro.quality_warning"), weight="bold"), rx.text(s.reason),
                                            spacing="1"),
                                  icon="triangle_alert", color_scheme="amber", id="quality", width="100%")),
            ("suspended", rx.callout(rx.vstack(
                rx.text(t("pro.jobs_paused"), weight="bold"),
                rx.text(s.reason),
                rx.cond(s.decision == "kept",
                        rx.text(t("pro.appeal_kept"), s.decision_reason)),
                rx.cond(s.appealed,
                        rx.text(tf("pro.appeal_sent", appeal=s.appeal), size="2"),
                        appeal_form),
                spacing="2", width="100%"), icon="octagon_pause", color_scheme="red", id="quality", width="100%")),
            rx.fragment(),
        ),
    )
