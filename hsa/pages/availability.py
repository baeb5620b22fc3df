"""The professional's "Working hours": when customers can book them (issue #19)."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP, form, native_input, notice, select_field, submit_button, text_field
from hsa.components.layout import template
from hsa.state.availability import BUFFER_OPTIONS, DAY_FIELDS, HORIZON_OPTIONS
from hsa.state.availability import AvailabilityState as S
from hsa.state.locale import t, tf


def _weekly_form() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(t("hours.every_week"), size="4", as_="h2"),
        rx.text(t("hours.weekly_intro"), size="2"),
        notice(S.saved, id="hours-notice"),
        form(
            rx.vstack(
                *[text_field(rx.fragment(rx.text.span(t(f"hours.day_{field}")),
                                         rx.text(t("hours.day_hint"), size="1", color_scheme="gray",
                                                 weight="regular")),
                             field, S.errors, value=S.weekly[i], required=False, max_length=120)
                  for i, (field, _name) in enumerate(DAY_FIELDS)],
                select_field(t("hours.buffer_label"), "buffer_minutes", S.errors, static=BUFFER_OPTIONS,
                             placeholder=None, value=S.buffer_minutes),
                select_field(t("hours.horizon_label"), "horizon_days", S.errors, static=HORIZON_OPTIONS,
                             placeholder=None, value=S.horizon_days),
                submit_button(t("hours.save_hours"), busy=S.busy),
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
        rx.button(t("hours.remove"), variant="soft", min_height=TAP, on_click=S.remove_override(o.day),
                  aria_label=tf("hours.remove_day", day=o.label)),
        width="100%", align="center", class_name="override-row",
    )


def _overrides() -> rx.Component:
    e = S.override_errors
    return rx.card(rx.vstack(
        rx.heading(t("hours.overrides_heading"), size="4", as_="h2"),
        rx.text(t("hours.overrides_intro"), size="2"),
        notice(S.override_saved, id="override-notice"),
        form(
            rx.vstack(
                native_input(t("hours.from"), "start", e, type="date", field_id="override-start"),
                native_input(t("hours.to"), "end", e, type="date", required=False,
                             field_id="override-end"),
                text_field(t("hours.override_hours"), "hours", e, required=False, max_length=120,
                           placeholder="10:00-14:00", field_id="override-hours"),
                submit_button(t("hours.save_days"), busy=S.busy),
                spacing="3", width="100%",
            ),
            on_submit=S.add_override, name="date-override", busy=S.busy, width="100%", id="override-form",
            key=S.form_key,
        ),
        rx.cond(S.overrides.length() > 0,
                rx.vstack(rx.foreach(S.overrides, _override_row), spacing="2", width="100%", id="overrides"),
                rx.text(t("hours.no_days_off"), size="2", id="overrides")),
        spacing="3", width="100%",
    ), width="100%", id="date-overrides")


@template(route=routes.PRO_HOURS, title="hours.title", on_load=S.load)
def working_hours() -> rx.Component:
    return rx.cond(S.loaded, rx.vstack(
        rx.heading(t("hours.title"), size="7"),
        rx.text(t("hours.intro"), size="2"),
        rx.cond(~S.on_duty, rx.callout(t("hours.off_duty"),
                                       icon="info", color_scheme="amber", id="off-duty")),
        _weekly_form(),
        _overrides(),
        spacing="4", class_name="narrow", id="working-hours-page",
    ), rx.spinner(size="3"))
