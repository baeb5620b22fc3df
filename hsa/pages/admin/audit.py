"""Admin audit log page: filter the log of admin actions."""

import reflex as rx

from hsa import routes
from hsa.components.admin import filter_select, pager
from hsa.components.forms import form, form_alert, submit_button, text_field
from hsa.components.layout import template
from hsa.state.admin.audit import AdminAuditState


@template(route=routes.ADMIN_AUDIT, title="Audit log", on_load=AdminAuditState.load)
def admin_audit() -> rx.Component:
    """The audit log, filtered by action and target, newest first, a page at a time."""
    s = AdminAuditState
    return rx.vstack(
        rx.heading("Audit log", size="7"),
        form(rx.vstack(
            text_field("Action contains", "action", s.errors, required=False, placeholder="user.block"),
            filter_select("target_type", "Target", [("", "Anything"), ("user", "Users"), ("request", "Requests"),
                                                     ("service", "Services")]),
            text_field("Target id", "target_id", s.errors, required=False, input_mode="numeric"),
            submit_button("Filter", busy=s.busy), width="100%"), on_submit=s.search, name="audit-search", busy=s.busy,
            width="100%"),
        form_alert(s.error),
        rx.vstack(rx.foreach(s.rows, lambda e: rx.card(rx.vstack(
            rx.text(e.when, " · ", rx.text.strong(e.actor), " · ", e.action, " · ", e.target, size="2"),
            rx.text(e.details, size="1", color_scheme="gray", class_name="wrap-anywhere"),
            spacing="1"), width="100%")), width="100%", id="audit-list"),
        pager(s),
        spacing="4", width="100%", id="admin-audit",
    )
