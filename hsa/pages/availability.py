"""The professional's "Working hours": when customers can book them (issue #19)."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP, form, native_input, notice, select_field, submit_button, text_field
from hsa.components.layout import template
from hsa.state.availability import BUFFER_OPTIONS, DAY_FIELDS, HORIZON_OPTIONS
from hsa.state.availability import AvailabilityState as S

_HINT = "e.g. 09:00-13:00, 14:00-19:00 — empty if you do not work that day"


def _weekly_form() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading("Every week", size="4", as_="h2"),
        rx.text("Write one or more ranges a day. Jobs run between 08:00 and 20:00 (IST).", size="2"),
        notice(S.saved, id="hours-notice"),
        form(
            rx.vstack(
                *[text_field(rx.fragment(rx.text.span(name), rx.text(_HINT, size="1", color_scheme="gray",
                                                                     weight="regular")),
                             field, S.errors, value=S.weekly[i], required=False, max_length=120)
                  for i, (field, name) in enumerate(DAY_FIELDS)],
                select_field("Time kept free between jobs (travel)", "buffer_minutes", S.errors, static=BUFFER_OPTIONS,
                             placeholder=None, value=S.buffer_minutes),
                select_field("How far ahead customers may book you", "horizon_days", S.errors, static=HORIZON_OPTIONS,
                             placeholder=None, value=S.horizon_days),
                submit_button("Save working hours", busy=S.busy),
                spacing="3", width="100%",
            ),
            on_submit=S.save_hours, name="working-hours", busy=S.busy, width="100%", id="hours-form",
            key=S.form_key,
        ),
        spacing="3", width="100%",
    ), width="100%", id="weekly-hours")


def _override_row(o: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.vstack(rx.text(o.label, weight="bold"), rx.text(o.hours, size="2"), spacing="0"),
        rx.spacer(),
        rx.button("Remove", variant="soft", min_height=TAP, on_click=S.remove_override(o.day),
                  aria_label="Remove " + o.label.to(str)),
        width="100%", align="center", class_name="override-row",
    )


def _overrides() -> rx.Component:
    e = S.override_errors
    return rx.card(rx.vstack(
        rx.heading("Days off and other hours", size="4", as_="h2"),
        rx.text("For a holiday or a short day. Leave the hours empty for a day off.", size="2"),
        notice(S.override_saved, id="override-notice"),
        form(
            rx.vstack(
                native_input("From", "start", e, type="date", field_id="override-start"),
                native_input("To (leave empty for one day)", "end", e, type="date", required=False,
                             field_id="override-end"),
                text_field("Hours those days (empty: off all day)", "hours", e, required=False, max_length=120,
                           placeholder="10:00-14:00", field_id="override-hours"),
                submit_button("Save these days", busy=S.busy),
                spacing="3", width="100%",
            ),
            on_submit=S.add_override, name="date-override", busy=S.busy, width="100%", id="override-form",
            key=S.form_key,
        ),
        rx.cond(S.overrides.length() > 0,
                rx.vstack(rx.foreach(S.overrides, _override_row), spacing="2", width="100%", id="overrides"),
                rx.text("No days off planned.", size="2", id="overrides")),
        spacing="3", width="100%",
    ), width="100%", id="date-overrides")


@template(route=routes.PRO_HOURS, title="Working hours", on_load=S.load)
def working_hours() -> rx.Component:
    return rx.cond(S.loaded, rx.vstack(
        rx.heading("Working hours", size="7"),
        rx.text("Customers see and book only the times you are free: inside these hours, not on your days off, "
                "and not within your travel gap of another job.", size="2"),
        rx.cond(~S.on_duty, rx.callout("You are off duty, so nobody can book you now. Go on duty from your Home page.",
                                       icon="info", color_scheme="amber", id="off-duty")),
        _weekly_form(),
        _overrides(),
        spacing="4", class_name="narrow", id="working-hours-page",
    ), rx.spinner(size="3"))
