"""Request display pieces shared by the customer's and the professional's pages."""

from __future__ import annotations

import reflex as rx

STATUS_LABELS = {
    "requested": ("Waiting for a professional", "amber"),
    "assigned": ("Accepted", "blue"),
    "in_progress": ("In progress", "violet"),
    "completed": ("Completed", "green"),
    "closed": ("Closed", "gray"),
    "cancelled": ("Cancelled", "red"),
}


def status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[(key, rx.badge(label, color_scheme=color, size="2", class_name="status-badge"))
          for key, (label, color) in STATUS_LABELS.items()],
        rx.badge(status, size="2"),
    )


def detail(label: str, value: rx.Var) -> rx.Component:
    return rx.cond(value != "", rx.text(rx.text.span(label, ": ", weight="medium"), value, size="2"))


def message_link(r: rx.Var, other: str) -> rx.Component:
    """The booking's chat instead of a phone number (numbers stay private: issue #17)."""
    return rx.cond(r.chat_open, rx.link(
        rx.button(rx.icon("message_circle", size=16, aria_hidden="true"), "Message", variant="soft", size="3",
                  min_height="44px"),
        href="/chat?request=" + r.id.to_string(), id="message-" + r.id.to_string(),
        aria_label="Message " + other, width="fit-content"))


def timeline(entries: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.foreach(entries, lambda e: rx.text(e.label, " ", e.when, size="1", color_scheme="gray")),
        spacing="3", wrap="wrap",
    )


def stars(rating: rx.Var) -> rx.Component:
    return rx.text(rx.match(rating, (1, "★☆☆☆☆"), (2, "★★☆☆☆"), (3, "★★★☆☆"), (4, "★★★★☆"), (5, "★★★★★"), ""),
                   color_scheme="amber", aria_label=rating.to_string() + " out of 5 stars")


def hidden(name: str, value: rx.Var | str | int) -> rx.Component:
    return rx.el.input(type="hidden", name=name, value=value)


def reschedule_callout(r: rx.Var, *, me: str, other: str) -> rx.Component:
    """A proposed new time on a card, worded for the side reading it (`me`: "customer" or "professional")."""
    when = rx.text.strong(r.reschedule_to)
    return rx.cond(r.reschedule_to != "", rx.callout(
        rx.cond(r.reschedule_by == me,
                rx.text("You asked to move this job to ", when, f". Waiting for the {other}."),
                rx.text(f"The {other} asks to move this job to ", when, ".")),
        icon="calendar-clock", color_scheme="violet", size="1", id="reschedule-" + r.id.to_string()))
