"""Small display cards."""

from __future__ import annotations

import reflex as rx


def service_card(service: rx.Var) -> rx.Component:
    """A catalog entry; `service` is a dict var with name, description, price, minutes."""
    return rx.card(
        rx.vstack(
            rx.heading(service["name"], size="4", as_="h3"),
            rx.text(service["description"], size="2", color_scheme="gray"),
            rx.hstack(
                rx.badge(service["price"], size="2"),
                rx.badge(service["minutes"], " min", variant="outline", size="2"),
                spacing="2",
            ),
            spacing="2", align="start",
        ),
        class_name="service-card",
    )


def kpi_card(label: str, value: rx.Var, *, id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="2", color_scheme="gray"),
            rx.heading(value, size="7", id=id),
            spacing="1",
        ),
    )
