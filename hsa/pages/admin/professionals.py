"""Admin vetting page: applicants by approval status, their documents, approve or reject."""

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP, form, form_alert, notice, submit_button, text_field
from hsa.components.layout import template
from hsa.components.requests import detail, hidden
from hsa.state.admin.professionals import AdminProsState
from hsa.state.locale import t, tf

# The approval statuses the page filters by, with the catalog keys of their button and badge.
STATUSES = (("pending", "admin_ops.filter_pending", "admin_ops.badge_pending"),
            ("rejected", "admin_ops.filter_rejected", "admin_ops.badge_rejected"),
            ("approved", "admin_ops.filter_approved", "admin_ops.badge_approved"))


def _status(status: rx.Var) -> rx.Component:
    """An approval status (a technical value) in words."""
    return rx.match(status, *[(value, t(badge)) for value, _, badge in STATUSES], status)


def _applicant(a: rx.Var) -> rx.Component:
    """One applicant's card: details, document viewer and the approve/reject controls."""
    s = AdminProsState
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(a.full_name, size="4", as_="h3"), rx.badge(_status(a.approval_status), size="2"),
                  justify="between", width="100%", wrap="wrap"),
        rx.text(a.service_name, " · ", a.experience_label, " · ", a.pincode, size="2"),
        rx.text(a.email, " · ", a.phone, size="2", color_scheme="gray"),
        detail("admin_ops.bio", a.bio),
        detail("admin_ops.reason", a.approval_reason),
        rx.cond(a.has_document,
                rx.text(tf("admin_ops.document_line", name=a.document_name, type=a.document_type,
                           size=a.document_size), size="2"),
                rx.text(t("admin_ops.no_document"), size="2", color_scheme="amber")),
        rx.hstack(
            rx.cond(a.has_document, rx.button(t("admin_ops.view_document"), on_click=s.view_document(a.user_id),
                                              size="3", variant="soft", min_height=TAP,
                                              id="view-doc-" + a.user_id.to_string())),
            rx.cond(a.approval_status != "approved", rx.button(
                t("admin_ops.approve"), on_click=s.approve(a.user_id), size="3", color_scheme="green", min_height=TAP,
                id="approve-" + a.user_id.to_string())),
            rx.cond(a.approval_status == "pending", rx.button(
                t("admin_ops.reject"), on_click=s.show_reject(a.user_id), size="3", color_scheme="red", variant="soft",
                min_height=TAP, id="reject-" + a.user_id.to_string())),
            spacing="2", wrap="wrap",
        ),
        rx.cond(s.open_form == a.user_id, form(rx.vstack(
            hidden("user_id", a.user_id),
            text_field(t("admin_ops.reject_reason"), "reason", s.errors, max_length=500,
                       field_id="reject-reason-" + a.user_id.to_string()),
            submit_button(t("admin_ops.reject_application"), busy=s.busy), width="100%"), on_submit=s.reject,
            name="reject", busy=s.busy, width="100%")),
        rx.cond(s.doc_user == a.user_id, rx.vstack(
            rx.cond(s.doc_type == "application/pdf",
                    rx.el.object(data=s.doc_url, type="application/pdf", width="100%", height="480px",
                                 id="doc-viewer"),
                    rx.image(src=s.doc_url, max_width="100%", alt=t("admin_ops.document_alt"), id="doc-viewer")),
            rx.link(t("admin_ops.open_new_tab"), href=s.doc_url, is_external=True),
            width="100%")),
        spacing="2", align="start", width="100%",
    ), width="100%", id="applicant-" + a.user_id.to_string())


@template(route=routes.ADMIN_PROS, title="nav.professionals", on_load=AdminProsState.load)
def admin_professionals() -> rx.Component:
    """Applicants of one approval status at a time: pending, rejected or approved."""
    s = AdminProsState
    return rx.vstack(
        rx.heading(t("nav.professionals"), size="7"),
        rx.hstack(*[rx.button(t(label), on_click=s.show_status(value), size="3", min_height=TAP,
                              variant=rx.cond(s.status == value, "solid", "soft"))
                    for value, label, _ in STATUSES],
                  spacing="2", wrap="wrap"),
        notice(s.notice), form_alert(s.error),
        rx.cond(s.applicants.length() > 0, rx.vstack(rx.foreach(s.applicants, _applicant), width="100%"),
                rx.text(t("admin_ops.nobody"), id="no-applicants")),
        spacing="4", width="100%", id="admin-pros",
    )
