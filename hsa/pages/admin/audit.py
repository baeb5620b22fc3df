"""Admin audit log page: filter the log of admin actions."""

import reflex as rx

from hsa import routes
from hsa.components.admin import action_code, filter_select, pager
from hsa.components.forms import form, form_alert, submit_button, text_field
from hsa.components.layout import template
from hsa.state.admin.audit import AdminAuditState
from hsa.state.locale import t


@template(route=routes.ADMIN_AUDIT, title="admin_trust.audit_title", on_load=AdminAuditState.load)
def admin_audit() -> rx.Component:
    """The audit log, filtered by action and target, newest first, a page at a time."""
    s = AdminAuditState
    return rx.vstack(
        rx.heading(t("admin_trust.audit_title"), size="7"),
        form(rx.vstack(
            text_field(t("admin_trust.action_contains"), "action", s.errors, required=False,
                       placeholder="user.block"),  # an action's code, as the log stores it
            filter_select("target_type", t("admin_trust.target"),
                          [("", t("admin_trust.any_target")), ("user", t("nav.users")), ("request", t("nav.requests")),
                           ("service", t("nav.services"))]),
            text_field(t("admin_trust.target_id"), "target_id", s.errors, required=False, input_mode="numeric"),
            submit_button(t("admin_trust.filter"), busy=s.busy), width="100%"),
            on_submit=s.search, name="audit-search", busy=s.busy, width="100%"),
        form_alert(s.error),
        rx.vstack(rx.foreach(s.rows, lambda e: rx.card(rx.vstack(
            rx.text(e.when, " · ", rx.text.strong(e.actor), " · ", action_code(e.action), " · ", e.target, size="2"),
            rx.text(e.details, size="1", color_scheme="gray", class_name="wrap-anywhere",
                    custom_attrs={"data-verbatim": "true"}),  # stored event data, shown as recorded
            spacing="1"), width="100%")), width="100%", id="audit-list"),
        pager(s),
        spacing="4", width="100%", id="admin-audit",
    )
