"""Admin vetting page: applicants by approval status, their documents, approve or reject."""

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP, form, form_alert, notice, submit_button, text_field
from hsa.components.layout import template
from hsa.components.requests import detail, hidden
from hsa.state.admin.professionals import AdminProsState


def _applicant(a: rx.Var) -> rx.Component:
    """One applicant's card: details, document viewer and the approve/reject controls."""
    s = AdminProsState
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(a.full_name, size="4", as_="h3"), rx.badge(a.approval_status, size="2"),
                  justify="between", width="100%", wrap="wrap"),
        rx.text(a.service_name, " · ", a.experience_label, " · ", a.pincode, size="2"),
        rx.text(a.email, " · ", a.phone, size="2", color_scheme="gray"),
        detail("Bio", a.bio),
        detail("Reason", a.approval_reason),
        rx.cond(a.has_document,
                rx.text("Document: ", a.document_name, " (", a.document_type, ", ", a.document_size, ")", size="2"),
                rx.text("No document uploaded yet.", size="2", color_scheme="amber")),
        rx.hstack(
            rx.cond(a.has_document, rx.button("View document", on_click=s.view_document(a.user_id), size="3",
                                              variant="soft", min_height=TAP, id="view-doc-" + a.user_id.to_string())),
            rx.cond(a.approval_status != "approved", rx.button(
                "Approve", on_click=s.approve(a.user_id), size="3", color_scheme="green", min_height=TAP,
                id="approve-" + a.user_id.to_string())),
            rx.cond(a.approval_status == "pending", rx.button(
                "Reject", on_click=s.show_reject(a.user_id), size="3", color_scheme="red", variant="soft",
                min_height=TAP, id="reject-" + a.user_id.to_string())),
            spacing="2", wrap="wrap",
        ),
        rx.cond(s.open_form == a.user_id, form(rx.vstack(
            hidden("user_id", a.user_id),
            text_field("Reason shown to the professional", "reason", s.errors, max_length=500,
                       field_id="reject-reason-" + a.user_id.to_string()),
            submit_button("Reject application", busy=s.busy), width="100%"), on_submit=s.reject, name="reject",
            busy=s.busy, width="100%")),
        rx.cond(s.doc_user == a.user_id, rx.vstack(
            rx.cond(s.doc_type == "application/pdf",
                    rx.el.object(data=s.doc_url, type="application/pdf", width="100%", height="480px",
                                 id="doc-viewer"),
                    rx.image(src=s.doc_url, max_width="100%", alt="Verification document", id="doc-viewer")),
            rx.link("Open in a new tab", href=s.doc_url, is_external=True),
            width="100%")),
        spacing="2", align="start", width="100%",
    ), width="100%", id="applicant-" + a.user_id.to_string())


@template(route=routes.ADMIN_PROS, title="Professionals", on_load=AdminProsState.load)
def admin_professionals() -> rx.Component:
    """Applicants of one approval status at a time: pending, rejected or approved."""
    s = AdminProsState
    return rx.vstack(
        rx.heading("Professionals", size="7"),
        rx.hstack(*[rx.button(label, on_click=s.show_status(value), size="3", min_height=TAP,
                              variant=rx.cond(s.status == value, "solid", "soft"))
                    for value, label in (("pending", "Pending"), ("rejected", "Rejected"), ("approved", "Approved"))],
                  spacing="2", wrap="wrap"),
        notice(s.notice), form_alert(s.error),
        rx.cond(s.applicants.length() > 0, rx.vstack(rx.foreach(s.applicants, _applicant), width="100%"),
                rx.text("Nobody here.", id="no-applicants")),
        spacing="4", width="100%", id="admin-pros",
    )
