"""Small display cards."""

from __future__ import annotations

import reflex as rx

from hsa.components.requests import label_text
from hsa.state.locale import tf


def service_card(service: rx.Var) -> rx.Component:
    """A catalog entry; `service` is a dict var with name, description, price, minutes."""
    return rx.card(
        rx.vstack(
            rx.heading(service["name"], size="4", as_="h3"),
            rx.text(service["description"], size="2", color_scheme="gray"),
            rx.hstack(
                rx.badge(service["price"], size="2"),
                rx.badge(tf("cards.minutes", minutes=service["minutes"]), variant="outline", size="2"),
                spacing="2",
            ),
            spacing="2", align="start",
        ),
        class_name="service-card",
    )


def kpi_card(label: str | rx.Var, value: rx.Var, *, id: str) -> rx.Component:
    """A number with its label: a catalog key or a Var (`t(...)`)."""
    return rx.card(
        rx.vstack(
            rx.text(label_text(label), size="2", color_scheme="gray"),
            rx.heading(value, size="7", id=id),
            spacing="1",
        ),
    )
