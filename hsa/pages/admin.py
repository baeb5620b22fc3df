"""Admin console: live dashboard, vetting, users, catalog, requests and the audit log."""

import reflex as rx

from hsa import routes
from hsa.components.cards import kpi_card
from hsa.components.forms import (
    TAP,
    form,
    form_alert,
    native_input,
    notice,
    select_field,
    submit_button,
    text_area,
    text_field,
)
from hsa.components.layout import template
from hsa.components.requests import detail, hidden, status_badge, timeline
from hsa.state.admin import (
    AdminAuditState,
    AdminHomeState,
    AdminProsState,
    AdminRequestsState,
    AdminServicesState,
    AdminUsersState,
)

_NO_ERRORS: rx.Var = rx.Var.create({})


def _native_select(name: str, label: str, options: list[tuple[str, str]], *,
                   dynamic: rx.Var | None = None) -> rx.Component:
    """A filter select: the first option is "any", so nothing is required."""
    return select_field(label, name, _NO_ERRORS, dynamic, placeholder=None, static=options, required=False)


def _pager(state: type[rx.State]) -> rx.Component:
    return rx.hstack(
        rx.button("Previous", on_click=state.go_page(state.page - 1), disabled=state.page <= 1, size="3",
                  variant="soft", min_height=TAP),
        rx.text("Page ", state.page, " of ", state.pages, " · ", state.total, " found", size="2"),
        rx.button("Next", on_click=state.go_page(state.page + 1), disabled=state.page >= state.pages, size="3",
                  variant="soft", min_height=TAP),
        align="center", spacing="3", wrap="wrap",
    )


def _chart(fig: rx.Var, chart_id: str) -> rx.Component:
    return rx.card(rx.plotly(data=fig, use_resize_handler=True, width="100%"), width="100%", id=chart_id)


@template(route=routes.ADMIN_HOME, title="Admin", on_load=AdminHomeState.load)
def admin_home() -> rx.Component:
    k = AdminHomeState.kpis
    return rx.cond(AdminHomeState.loaded, rx.vstack(
        rx.heading("Admin dashboard", size="7", id="admin-title"),
        rx.text("Updates live as people book, accept and rate.", size="2", color_scheme="gray"),
        form_alert(AdminHomeState.error),
        rx.box(
            kpi_card("Customers", k["customers"], id="kpi-customers"),
            kpi_card("Professionals approved", k["pros_approved"], id="kpi-pros-approved"),
            kpi_card("Awaiting approval", k["pros_pending"], id="kpi-pros-pending"),
            kpi_card("Requests today", k["requests_today"], id="kpi-today"),
            kpi_card("Waiting for a professional", k["requested"], id="kpi-requested"),
            kpi_card("Completion rate", k["completion"], id="kpi-completion"),
            kpi_card("Average rating", k["rating"], id="kpi-rating"),
            kpi_card("Revenue this month", k["revenue"], id="kpi-revenue"),
            class_name="kpi-grid",
        ),
        rx.box(
            _chart(AdminHomeState.status_chart, "chart-status"),
            rx.cond(AdminHomeState.has_ratings, _chart(AdminHomeState.rating_chart, "chart-ratings"),
                    rx.card(rx.text("No ratings yet.", id="no-ratings"), width="100%")),
            _chart(AdminHomeState.trend_chart, "chart-trend"),
            _chart(AdminHomeState.services_chart, "chart-services"),
            _chart(AdminHomeState.pincodes_chart, "chart-pincodes"),
            class_name="chart-grid",
        ),
        spacing="4", id="admin-dashboard", width="100%",
    ), rx.spinner(size="3"))


def _applicant(a: rx.Var) -> rx.Component:
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


def _user_row(u: rx.Var) -> rx.Component:
    s = AdminUsersState
    key = u.id.to_string()
    return rx.card(rx.vstack(
        rx.hstack(rx.text(u.full_name, weight="bold"), rx.badge(u.role, size="2"),
                  rx.badge(u.status, size="2", color_scheme=rx.match(u.status, ("blocked", "red"),
                                                                     ("deleted", "gray"), "green")),
                  spacing="2", wrap="wrap"),
        rx.text(u.email, " · ", u.phone, " · ", u.pincode, " · joined ", u.joined, size="2", color_scheme="gray"),
        rx.cond(u.role != "admin", rx.hstack(
            rx.cond(u.status == "active", rx.button("Block", on_click=s.show_form(key + ":block"), size="3",
                                                    color_scheme="red", variant="soft", min_height=TAP,
                                                    id="block-" + key)),
            rx.cond(u.status == "blocked", rx.button("Unblock", on_click=s.show_form(key + ":unblock"), size="3",
                                                     variant="soft", min_height=TAP, id="unblock-" + key)),
            rx.cond(u.status != "deleted", rx.button("Delete", on_click=s.show_form(key + ":delete"), size="3",
                                                     color_scheme="red", min_height=TAP, id="delete-" + key)),
            spacing="2", wrap="wrap")),
        *[rx.cond(s.open_form == key + ":" + action, form(rx.vstack(
            hidden("user_id", u.id), hidden("action", action),
            text_field("Reason (kept in the audit log)", "reason", s.errors, max_length=500,
                       field_id=action + "-reason-" + key),
            text_field("Type DELETE to confirm", "confirm", s.errors, field_id="delete-confirm-" + key)
            if action == "delete" else rx.fragment(),
            submit_button(label, busy=s.busy), width="100%"), on_submit=s.act, name="user-" + action, busy=s.busy,
            width="100%"))
          for action, label in (("block", "Block account"), ("unblock", "Unblock account"),
                                ("delete", "Delete account permanently"))],
        spacing="2", align="start", width="100%",
    ), width="100%", id="user-" + key)


@template(route=routes.ADMIN_USERS, title="Users", on_load=AdminUsersState.load)
def admin_users() -> rx.Component:
    s = AdminUsersState
    return rx.vstack(
        rx.heading("Users", size="7"),
        form(rx.vstack(
            text_field("Name, email or phone", "q", s.errors, required=False),
            rx.hstack(
                _native_select("role", "Role", [("", "Any role"), ("customer", "Customer"),
                                                ("professional", "Professional"), ("admin", "Admin")]),
                _native_select("status", "Status", [("", "Any status"), ("active", "Active"), ("blocked", "Blocked"),
                                                    ("deleted", "Deleted")]),
                width="100%", wrap="wrap"),
            text_field("Pincode", "pincode", s.errors, required=False, max_length=8, input_mode="numeric"),
            submit_button("Search users", busy=s.busy), width="100%"), on_submit=s.search, name="user-search",
            busy=s.busy, width="100%", id="user-search"),
        notice(s.notice), form_alert(s.error),
        rx.vstack(rx.foreach(s.users, _user_row), width="100%", id="user-list"),
        _pager(s),
        spacing="4", width="100%", id="admin-users",
    )


def _service_form(sv: rx.Var | None) -> rx.Component:
    """The "new service" form, or one service's edit form (both can be on the page at once)."""
    s = AdminServicesState
    value = (lambda f: sv[f]) if sv is not None else (lambda f: None)  # noqa: E731
    prefix = "service-" + sv.id.to_string() + "-" if sv is not None else "new-service-"
    return form(rx.vstack(
        hidden("service_id", sv.id if sv is not None else 0),
        text_field("Name", "name", s.errors, value=value("name"), max_length=80, field_id=prefix + "name"),
        text_area("Description", "description", s.errors, value=value("description"),
                  field_id=prefix + "description"),
        text_field("Base price (₹)", "base_price_rupees", s.errors, type="number", value=value("price_rupees"),
                   input_mode="numeric", field_id=prefix + "price"),
        text_field("Duration (minutes)", "duration_minutes", s.errors, type="number",
                   value=value("duration_minutes"), input_mode="numeric", field_id=prefix + "duration"),
        submit_button("Save service" if sv is not None else "Add service", busy=s.busy), width="100%",
    ), on_submit=s.save, name="service-edit" if sv is not None else "service-new", busy=s.busy,
        idempotency_key=s.submit_key, width="100%", key=s.successes.to_string(),
        id="service-form-new" if sv is None else None)


def _service_row(sv: rx.Var) -> rx.Component:
    s = AdminServicesState
    return rx.card(rx.vstack(
        rx.hstack(rx.text(sv.name, weight="bold"), rx.badge(sv.price, size="2"),
                  rx.badge(sv.duration_minutes, " min", variant="outline", size="2"),
                  rx.cond(sv.is_active, rx.badge("active", color_scheme="green", size="2"),
                          rx.badge("inactive", color_scheme="gray", size="2")), spacing="2", wrap="wrap"),
        rx.text(sv.description, size="2", color_scheme="gray"),
        rx.hstack(
            rx.button("Edit", on_click=s.edit(sv.id), size="3", variant="soft", min_height=TAP),
            rx.cond(sv.is_active,
                    rx.button("Deactivate", on_click=s.toggle(sv.id, False), size="3", color_scheme="red",
                              variant="soft", min_height=TAP, id="deactivate-" + sv.id.to_string()),
                    rx.button("Activate", on_click=s.toggle(sv.id, True), size="3", variant="soft", min_height=TAP,
                              id="activate-" + sv.id.to_string())),
            spacing="2"),
        rx.cond(s.editing == sv.id, _service_form(sv)),
        spacing="2", align="start", width="100%",
    ), width="100%", id="service-" + sv.id.to_string())


@template(route=routes.ADMIN_SERVICES, title="Services", on_load=AdminServicesState.load)
def admin_services() -> rx.Component:
    s = AdminServicesState
    return rx.vstack(
        rx.heading("Service catalog", size="7"),
        notice(s.notice), form_alert(s.error),
        rx.card(rx.vstack(rx.heading("New service", size="4", as_="h2"),
                          rx.cond(s.editing == 0, _service_form(None)), width="100%"), width="100%"),
        rx.vstack(rx.foreach(s.services, _service_row), width="100%", id="service-list"),
        spacing="4", width="100%", id="admin-services",
    )


def _request_row(r: rx.Var) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.text("#", r.id, " ", r.service_name, weight="bold"), status_badge(r.status),
                  spacing="2", wrap="wrap"),
        rx.text(r.when, " · ", r.pincode, " · ", r.total, size="2"),
        rx.text(r.customer_name, rx.cond(r.professional_name != "", rx.text.span(" → ", r.professional_name)),
                size="2", color_scheme="gray"),
        rx.button("Timeline", on_click=AdminRequestsState.open_request(r.id), size="3", variant="soft",
                  min_height=TAP, id="timeline-" + r.id.to_string()),
        spacing="1", align="start", width="100%"), width="100%")


@template(route=routes.ADMIN_REQUESTS, title="Requests", on_load=AdminRequestsState.load)
def admin_requests() -> rx.Component:
    s = AdminRequestsState
    statuses = [("", "Any status"), ("requested", "Waiting"), ("assigned", "Accepted"),
                ("in_progress", "In progress"), ("completed", "Completed"), ("closed", "Closed"),
                ("cancelled", "Cancelled")]
    return rx.vstack(
        rx.heading("Service requests", size="7"),
        form(rx.vstack(
            rx.hstack(_native_select("status", "Status", statuses),
                      _native_select("service_id", "Service", [("", "Any service")], dynamic=s.service_options),
                      width="100%", wrap="wrap"),
            text_field("Pincode", "pincode", s.errors, required=False, max_length=8, input_mode="numeric"),
            rx.box(native_input("Scheduled from", "date_from", s.errors, type="date", required=False),
                   native_input("to", "date_to", s.errors, type="date", required=False), class_name="field-pair"),
            text_field("Customer (name or email)", "customer", s.errors, required=False),
            text_field("Professional (name or email)", "professional", s.errors, required=False),
            submit_button("Search requests", busy=s.busy), width="100%"), on_submit=s.search, name="request-search",
            busy=s.busy, width="100%"),
        form_alert(s.error),
        rx.foreach(s.detail, lambda r: rx.card(rx.vstack(
            rx.heading("Request #", r.id, " · ", r.service_name, size="4", as_="h2"),
            status_badge(r.status), detail("Customer", r.customer_name), detail("Professional", r.professional_name),
            detail("Address", r.address), detail("Remarks", r.remarks), detail("Cancelled", r.cancel_reason),
            rx.cond(s.live_position != "", rx.callout(s.live_position, icon="navigation", color_scheme="blue",
                                                      size="1", id="admin-live-position")),
            timeline(r.timeline),
            rx.vstack(rx.foreach(s.events, lambda e: rx.text(e.when, " · ", e.actor, " · ", e.action, size="2")),
                      id="request-events"),
            spacing="2", align="start"), width="100%", id="request-detail")),
        rx.vstack(rx.foreach(s.requests, _request_row), width="100%", id="request-list"),
        _pager(s),
        spacing="4", width="100%", id="admin-requests",
    )


@template(route=routes.ADMIN_AUDIT, title="Audit log", on_load=AdminAuditState.load)
def admin_audit() -> rx.Component:
    s = AdminAuditState
    return rx.vstack(
        rx.heading("Audit log", size="7"),
        form(rx.vstack(
            text_field("Action contains", "action", s.errors, required=False, placeholder="user.block"),
            _native_select("target_type", "Target", [("", "Anything"), ("user", "Users"), ("request", "Requests"),
                                                     ("service", "Services")]),
            text_field("Target id", "target_id", s.errors, required=False, input_mode="numeric"),
            submit_button("Filter", busy=s.busy), width="100%"), on_submit=s.search, name="audit-search", busy=s.busy,
            width="100%"),
        form_alert(s.error),
        rx.vstack(rx.foreach(s.rows, lambda e: rx.card(rx.vstack(
            rx.text(e.when, " · ", rx.text.strong(e.actor), " · ", e.action, " · ", e.target, size="2"),
            rx.text(e.details, size="1", color_scheme="gray", class_name="wrap-anywhere"),
            spacing="1"), width="100%")), width="100%", id="audit-list"),
        _pager(s),
        spacing="4", width="100%", id="admin-audit",
    )
