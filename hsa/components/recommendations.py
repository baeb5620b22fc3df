"""'Recommended for you': one card per suggested professional, with the reason and a Book button.

Stateless: the rows, error and loaded flag come in as vars (hsa/state/recommendations.py), and
the caller passes the event that loads them, fired when the panel mounts.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from hsa.components.forms import TAP
from hsa.state.locale import t


def recommendation_card(pick: rx.Var) -> rx.Component:
    """Name, service, rating, why, and the booking form with this professional preferred."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(pick.full_name, size="4", as_="h3"),
                rx.badge("★ ", pick.rating, " · ", pick.rating_count_label, color_scheme="amber", size="2"),
                justify="between", width="100%", wrap="wrap",
            ),
            rx.text(pick.service_name, " · ", rx.text.strong(pick.price), size="2"),
            rx.text(pick.reason, size="2", color_scheme="gray", class_name="recommend-reason"),
            rx.link(rx.button(pick.action, size="3", width="100%", min_height=TAP,
                              variant=rx.cond(pick.again, "solid", "soft"),
                              aria_label=pick.action + ": " + pick.full_name),
                    href=pick.href, width="100%"),
            spacing="2", align="start", width="100%",
        ),
        class_name="recommend-card", id="recommend-" + pick.user_id.to_string(),
    )


def recommendations(picks: rx.Var, *, loaded: rx.Var, error: rx.Var, on_mount: Any) -> rx.Component:
    """The panel: a labelled region, hidden when there is nothing to suggest."""
    return rx.box(
        rx.cond(picks.length() > 0, rx.el.section(
            rx.heading(t("booking.recommended"), size="5", as_="h2", id="recommended-heading"),
            rx.box(rx.foreach(picks, recommendation_card), class_name="card-grid", margin_top="8px"),
            aria_labelledby="recommended-heading", width="100%",
        )),
        rx.cond(loaded & (error != ""), rx.text(error, size="2", color_scheme="red")),
        on_mount=on_mount, width="100%", id="recommended",
    )
