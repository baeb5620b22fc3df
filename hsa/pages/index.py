"""Public landing page."""

import reflex as rx

from hsa import routes
from hsa.components.cards import service_card
from hsa.components.layout import template
from hsa.state.auth import SessionState
from hsa.state.index import IndexState


@template(route=routes.INDEX, title="Home services", on_load=IndexState.load)
def index() -> rx.Component:
    return rx.vstack(
        rx.heading("Trusted home services, at your door", size="8"),
        rx.text("Plumbers, electricians, cleaners and more — verified professionals near your pincode."),
        rx.cond(
            SessionState.viewer_role == "",
            rx.hstack(
                rx.link(rx.button("Book a service", size="3", min_height="44px"), href=routes.REGISTER),
                rx.link(rx.button("Join as a professional", size="3", variant="outline", min_height="44px"),
                        href=routes.REGISTER_PRO),
                wrap="wrap", spacing="2",
            ),
        ),
        rx.heading("Our services", size="5", as_="h2"),
        rx.box(rx.foreach(IndexState.services, service_card), class_name="card-grid"),
        spacing="4",
    )
