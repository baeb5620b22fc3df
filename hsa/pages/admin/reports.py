"""Reports from customers and professionals: what was reported, the conversation, the outcome."""

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP, form, form_alert, notice, submit_button, text_field
from hsa.components.layout import template
from hsa.components.requests import hidden
from hsa.state.admin.reports import AdminReportsState, ReportRow
from hsa.state.locale import t, tf


def _report(r: ReportRow) -> rx.Component:
    s = AdminReportsState
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(r.reason, size="4", as_="h2"), rx.text(r.when, size="2", color_scheme="gray"),
                  justify="between", width="100%", wrap="wrap"),
        rx.text(tf("admin_trust.report_line", reporter=r.reporter, reported=r.reported, id=r.request_id),
                size="2"),
        rx.cond(r.message != "", rx.blockquote(r.message, size="2")),
        rx.cond(r.details != "", rx.text("“", r.details, "”", size="2")),
        rx.link(rx.button(t("admin_trust.read_conversation"), variant="soft", size="3", min_height=TAP),
                href=routes.ADMIN_CHAT + "?request=" + r.request_id.to_string(),
                id="read-chat-" + r.id.to_string()),
        form(
            rx.vstack(
                hidden("report_id", r.id),
                text_field(t("admin_trust.report_outcome"), "outcome", s.errors,
                           field_id="outcome-" + r.id.to_string(), max_length=500),
                submit_button(t("admin_trust.close_report"), busy=s.busy),
                spacing="2", width="100%"),
            on_submit=s.close, name="report-close", busy=s.busy, width="100%", id="form-close-" + r.id.to_string(),
        ),
        spacing="3", width="100%"), width="100%", id="report-" + r.id.to_string(), class_name="report-card")


@template(route=routes.ADMIN_REPORTS, title="nav.reports", on_load=AdminReportsState.load)
def admin_reports() -> rx.Component:
    s = AdminReportsState
    return rx.vstack(
        rx.heading(t("nav.reports"), size="7"),
        notice(s.notice),
        form_alert(s.error),
        rx.cond(s.loaded, rx.cond(s.rows.length() > 0,
                                  rx.vstack(rx.foreach(s.rows, _report), spacing="3", width="100%"),
                                  rx.text(t("admin_trust.no_reports"))), rx.spinner(size="3")),
        spacing="4", width="100%", id="admin-reports",
    )
