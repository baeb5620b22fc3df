"""Request display pieces shared by the customer's and the professional's pages."""

from __future__ import annotations

import re

import reflex as rx

from hsa.state.locale import t, tf

# A request status -> (catalog key of its label, badge colour).
STATUS_LABELS = {
    "requested": ("booking.status_requested", "amber"),
    "assigned": ("booking.status_assigned", "blue"),
    "in_progress": ("booking.status_in_progress", "violet"),
    "completed": ("booking.status_completed", "green"),
    "closed": ("booking.status_closed", "gray"),
    "cancelled": ("booking.status_cancelled", "red"),
}
# Who proposed a new time -> (key when I asked, key when the other side asks), by the other side.
_RESCHEDULE = {
    "professional": ("booking.reschedule_mine_professional", "booking.reschedule_theirs_professional"),
    "customer": ("booking.reschedule_mine_customer", "booking.reschedule_theirs_customer"),
}
_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


def label_text(label: str | rx.Var) -> str | rx.Var:
    """A label given as a catalog key ("booking.address") or a Var (`t(...)`) -> what to show.
    A str that is not a key is shown as it is (a caller not converted yet)."""
    if isinstance(label, str) and _KEY.match(label):
        return t(label)
    return label


def with_strong(key: str, name: str, value: rx.Var | str) -> list[rx.Var | rx.Component]:
    """The catalog text `key` with its `{name}` placeholder shown as `value` in bold: the pieces
    around it are cut from the text on the client, so each language puts the value where its
    grammar needs it ("Paid ₹499" / "₹499 का भुगतान हुआ")."""
    parts = t(key).to(str).split("{" + name + "}")
    return [parts[0], rx.text.strong(value), parts[1]]


def status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[(key, rx.badge(t(label), color_scheme=color, size="2", class_name="status-badge"))
          for key, (label, color) in STATUS_LABELS.items()],
        rx.badge(status, size="2"),
    )


def detail(label: str | rx.Var, value: rx.Var) -> rx.Component:
    """"Label: value" when there is a value; `label` is a catalog key or a Var (see `label_text`)."""
    return rx.cond(value != "", rx.text(rx.text.span(label_text(label), ": ", weight="medium"), value, size="2"))


def message_link(r: rx.Var, other: str | rx.Var) -> rx.Component:
    """The booking's chat instead of a phone number (numbers stay private: issue #17). `other`
    names the other side for screen readers: a catalog key or a Var."""
    return rx.cond(r.chat_open, rx.link(
        rx.button(rx.icon("message_circle", size=16, aria_hidden="true"), t("booking.message"), variant="soft",
                  size="3", min_height="44px"),
        href="/chat?request=" + r.id.to_string(), id="message-" + r.id.to_string(),
        aria_label=tf("booking.message_who", who=label_text(other)), width="fit-content"))


def timeline(entries: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.foreach(entries, lambda e: rx.text(e.label, " ", e.when, size="1", color_scheme="gray")),
        spacing="3", wrap="wrap",
    )


def stars(rating: rx.Var) -> rx.Component:
    return rx.text(rx.match(rating, (1, "★☆☆☆☆"), (2, "★★☆☆☆"), (3, "★★★☆☆"), (4, "★★★★☆"), (5, "★★★★★"), ""),
                   color_scheme="amber", aria_label=tf("booking.stars", rating=rating))


def hidden(name: str, value: rx.Var | str | int) -> rx.Component:
    return rx.el.input(type="hidden", name=name, value=value)


def reschedule_callout(r: rx.Var, *, me: str, other: str) -> rx.Component:
    """A proposed new time on a card, worded for the side reading it (`me`: "customer" or
    "professional"; `other`: the other of the two)."""
    mine, theirs = _RESCHEDULE[other]
    return rx.cond(r.reschedule_to != "", rx.callout(
        rx.cond(r.reschedule_by == me,
                rx.text(*with_strong(mine, "when", r.reschedule_to)),
                rx.text(*with_strong(theirs, "when", r.reschedule_to))),
        icon="calendar-clock", color_scheme="violet", size="1", id="reschedule-" + r.id.to_string()))
