"""Notifications: newest first, unread marked, mark one or all as read."""

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP, form_alert
from hsa.components.layout import template
from hsa.state.locale import t
from hsa.state.notifications import NotificationRow, NotificationState


def _item(n: NotificationRow) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.cond(~n.read, rx.badge(t("inbox.new"), color_scheme="red")),
                rx.text(n.title, weight="bold"),
                spacing="2", align="center", wrap="wrap",
            ),
            rx.text(n.body),
            rx.text(n.when, size="2", color_scheme="gray"),
            rx.hstack(
                rx.cond(n.href != "", rx.link(rx.button(t("inbox.open"), variant="soft", size="3", min_height=TAP,
                                                        tab_index=-1), href=n.href,
                                              on_click=NotificationState.mark_read(n.id))),  # opened = read
                rx.cond(~n.read, rx.button(t("inbox.mark_read"), on_click=NotificationState.mark_read(n.id),
                                           variant="outline", size="3", min_height=TAP,
                                           id=f"read-{n.id}")),
                spacing="2", wrap="wrap",
            ),
            spacing="2", width="100%",
        ),
        width="100%", class_name=rx.cond(n.read, "notification read", "notification unread"),
        id=f"notification-{n.id}",
    )


@template(route=routes.NOTIFICATIONS, title="nav.bell", on_load=NotificationState.guard)
def notifications_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(t("nav.bell"), size="7"),
            rx.cond(NotificationState.unread > 0,
                    rx.button(t("inbox.mark_all"), on_click=NotificationState.mark_all_read, size="3",
                              min_height=TAP, variant="soft", id="read-all")),
            justify="between", align="center", width="100%", wrap="wrap",
        ),
        form_alert(NotificationState.error),
        rx.cond(
            NotificationState.items.length() > 0,
            rx.vstack(rx.foreach(NotificationState.items, _item), spacing="3", width="100%",
                      id="notification-list"),
            rx.text(t("inbox.empty"), id="no-notifications"),
        ),
        spacing="4", width="100%", id="notifications-page",
    )
