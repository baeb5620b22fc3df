"""Paused professionals: why the machine paused them, their appeal, and the admin's decision."""

import reflex as rx

from hsa import routes
from hsa.components.forms import form, form_alert, notice, select_field, submit_button, text_field
from hsa.components.layout import template
from hsa.components.requests import detail, hidden
from hsa.state.quality import DECISION_CHOICES, AdminQualityState, StandingRow


def _standing(r: StandingRow) -> rx.Component:
    s = AdminQualityState
    fid = r.professional_id.to_string()
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(r.name, size="4", as_="h2"), rx.text("Paused ", r.suspended, size="2",
                                                                   color_scheme="gray"),
                  justify="between", width="100%", wrap="wrap"),
        rx.text(r.reason, size="2"),
        rx.text("Average ", rx.cond(r.average != "", r.average, "—"), " over ", r.rated_jobs.to_string(),
                " rated jobs · ", r.strikes.to_string(), " strikes", size="2", color_scheme="gray"),
        rx.cond(r.appeal != "", detail("Appeal", r.appeal),
                rx.text("No appeal yet.", size="2", color_scheme="gray")),
        rx.cond(r.decision == "kept", detail("Kept before", r.decision_reason)),
        form(
            rx.vstack(
                hidden("professional_id", r.professional_id),
                select_field("Decision", "decision", s.errors, static=DECISION_CHOICES, field_id="decision-" + fid),
                text_field("Reason (the professional reads it)", "reason", s.errors, max_length=500,
                           field_id="reason-" + fid),
                submit_button("Decide", busy=s.busy),
                spacing="2", width="100%"),
            on_submit=s.decide, name="quality-decide", busy=s.busy, width="100%", id="form-quality-" + fid,
        ),
        spacing="3", width="100%"), width="100%", class_name="quality-card", id="quality-" + fid)


@template(route=routes.ADMIN_QUALITY, title="Quality", on_load=AdminQualityState.load)
def admin_quality() -> rx.Component:
    s = AdminQualityState
    return rx.vstack(
        rx.heading("Quality: paused professionals", size="7"),
        notice(s.notice),
        form_alert(s.error),
        rx.cond(s.loaded, rx.cond(s.rows.length() > 0,
                                  rx.vstack(rx.foreach(s.rows, _standing), spacing="3", width="100%"),
                                  rx.text("Nobody is paused.")), rx.spinner(size="3")),
        spacing="4", width="100%", id="admin-quality",
    )
