"""Paused professionals: why the machine paused them, their appeal, and the admin's decision."""

import reflex as rx

from hsa import routes
from hsa.components.forms import form, form_alert, notice, select_field, submit_button, text_field
from hsa.components.layout import template
from hsa.components.requests import detail, hidden
from hsa.state.locale import t, tf
from hsa.state.quality import DECISION_CHOICES, AdminQualityState, StandingRow


def _standing(r: StandingRow) -> rx.Component:
    s = AdminQualityState
    fid = r.professional_id.to_string()
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(r.name, size="4", as_="h2"),
                  rx.text(tf("admin_trust.paused", when=r.suspended), size="2", color_scheme="gray"),
                  justify="between", width="100%", wrap="wrap"),
        rx.text(r.reason, size="2"),
        rx.text(tf("admin_trust.quality_stats", average=rx.cond(r.average != "", r.average, "—"),
                   jobs=r.rated_jobs, strikes=r.strikes), size="2", color_scheme="gray"),
        rx.cond(r.appeal != "", detail(t("admin_trust.appeal"), r.appeal),
                rx.text(t("admin_trust.no_appeal"), size="2", color_scheme="gray")),
        rx.cond(r.decision == "kept", detail(t("admin_trust.kept_before"), r.decision_reason)),
        form(
            rx.vstack(
                hidden("professional_id", r.professional_id),
                select_field(t("admin_trust.decision"), "decision", s.errors,
                             static=[(value, t(key)) for value, key in DECISION_CHOICES], field_id="decision-" + fid),
                text_field(t("admin_trust.quality_reason"), "reason", s.errors, max_length=500,
                           field_id="reason-" + fid),
                submit_button(t("admin_trust.decide"), busy=s.busy),
                spacing="2", width="100%"),
            on_submit=s.decide, name="quality-decide", busy=s.busy, width="100%", id="form-quality-" + fid,
        ),
        spacing="3", width="100%"), width="100%", class_name="quality-card", id="quality-" + fid)


@template(route=routes.ADMIN_QUALITY, title="nav.quality", on_load=AdminQualityState.load)
def admin_quality() -> rx.Component:
    s = AdminQualityState
    return rx.vstack(
        rx.heading(t("admin_trust.quality_heading"), size="7"),
        notice(s.notice),
        form_alert(s.error),
        rx.cond(s.loaded, rx.cond(s.rows.length() > 0,
                                  rx.vstack(rx.foreach(s.rows, _standing), spacing="3", width="100%"),
                                  rx.text(t("admin_trust.nobody_paused"))), rx.spinner(size="3")),
        spacing="4", width="100%", id="admin-quality",
    )
