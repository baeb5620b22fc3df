"""The booking form's slot picker: day chips for a week, then the chosen day's free times.

Native radio buttons (one group `day`, one group `time`) inside labelled fieldsets: the phone's
and the screen reader's own semantics, arrow keys move within a group, Tab moves between them,
and the form submits the checked values like any HTML form. Chips wrap, so 375 px never scrolls
sideways; each is at least 44 px tall and wide (assets/styles.css, `.chip`).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from hsa.components.forms import TAP, field_error
from hsa.state.locale import t


def _chip(name: str, value: rx.Var, label: Any, *, checked: rx.Var, on_change: Any, errors: rx.Var,
          disabled: rx.Var | bool = False) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="radio", name=name, value=value, checked=checked, on_change=on_change,
                    disabled=disabled, required=True, class_name="chip-input",
                    aria_invalid=rx.cond(errors.contains(name), "true", "false"),
                    aria_describedby=name + "-error"),
        label,
        class_name="chip",
    )


def slot_picker(state: Any, errors: rx.Var) -> rx.Component:
    """`state` is a SlotPickerMixin state (the booking form's)."""
    full = rx.el.span(" · ", t("booking.day_full"), class_name="chip-note")
    day_chip = lambda d: _chip(  # noqa: E731 - one line per chip kind reads best
        "day", d.value, rx.el.span(d.label, rx.cond(~d.open, full)),
        checked=state.day == d.value, on_change=state.pick_day(d.value), disabled=~d.open, errors=errors)
    time_chip = lambda t: _chip("time", t, rx.el.span(t), checked=state.time == t,  # noqa: E731
                                on_change=state.pick_time(t), errors=errors)
    return rx.vstack(
        rx.el.fieldset(
            rx.el.legend(t("booking.day"), class_name="field-label"),
            rx.box(rx.foreach(state.days, day_chip), class_name="chip-grid", id="day-chips"),
            rx.hstack(
                rx.button(t("booking.earlier_days"), type="button", variant="soft", min_height=TAP,
                          on_click=state.prev_week, disabled=~state.can_prev, id="earlier-days"),
                rx.button(t("booking.later_days"), type="button", variant="soft", min_height=TAP,
                          on_click=state.next_week, disabled=~state.can_next, id="later-days"),
                spacing="2", wrap="wrap",
            ),
            field_error(errors, "day"),
            class_name="picker-group",
        ),
        rx.el.fieldset(
            rx.el.legend(t("booking.start_time"), class_name="field-label"),
            rx.cond(state.times.length() > 0,
                    rx.box(rx.foreach(state.times, time_chip), class_name="chip-grid", id="time-chips"),
                    rx.text(state.slots_note, size="2", id="slots-note")),
            field_error(errors, "time"),
            class_name="picker-group",
        ),
        spacing="3", width="100%", id="slot-picker", aria_live="polite",
    )
