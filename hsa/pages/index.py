"""Public landing page."""

import reflex as rx

from hsa import routes
from hsa.components.cards import service_card
from hsa.components.layout import template
from hsa.state.auth import SessionState
from hsa.state.index import IndexState
from hsa.state.locale import t


@template(route=routes.INDEX, title="home.title", on_load=IndexState.load)
def index() -> rx.Component:
    return rx.vstack(
        rx.heading(t("home.heading"), size="8"),
        rx.text(t("home.intro")),
        rx.cond(
            SessionState.viewer_role == "",
            rx.hstack(
                rx.link(rx.button(t("home.book"), size="3", min_height="44px"), href=routes.REGISTER),
                rx.link(rx.button(t("register.join_pro"), size="3", variant="outline", min_height="44px"),
                        href=routes.REGISTER_PRO),
                wrap="wrap", spacing="2",
            ),
        ),
        rx.heading(t("home.our_services"), size="5", as_="h2"),
        rx.box(rx.foreach(IndexState.services, service_card), class_name="card-grid"),
        spacing="4",
    )
