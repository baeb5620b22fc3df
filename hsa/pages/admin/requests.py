"""Admin requests page: search every service request and open one's timeline and live position."""

import reflex as rx

from hsa import routes
from hsa.components.admin import action_code, filter_select, pager
from hsa.components.forms import TAP, form, form_alert, native_input, notice, submit_button, text_field
from hsa.components.layout import template
from hsa.components.payment import money_panel
from hsa.components.requests import detail, hidden, status_badge, timeline
from hsa.state.admin.requests import AdminRequestsState
from hsa.state.locale import t, tf


def _request_row(r: rx.Var) -> rx.Component:
    """One request in the results; Timeline opens its detail above the list."""
    return rx.card(rx.vstack(
        rx.hstack(rx.text("#", r.id, " ", r.service_name, weight="bold"), status_badge(r.status),
                  spacing="2", wrap="wrap"),
        rx.text(r.when, " · ", r.pincode, " · ", r.total, size="2"),
        rx.text(r.customer_name, rx.cond(r.professional_name != "", rx.text.span(" → ", r.professional_name)),
                size="2", color_scheme="gray"),
        rx.button(t("admin_requests.timeline"), on_click=AdminRequestsState.open_request(r.id), size="3",
                  variant="soft", min_height=TAP, id="timeline-" + r.id.to_string()),
        spacing="1", align="start", width="100%"), width="100%")


def _refund_form(r: rx.Var) -> rx.Component:
    """Support refunds part or all of what was paid online (through the gateway; the customer is told)."""
    s = AdminRequestsState
    return rx.cond(r.paid_amount != "", form(
        rx.vstack(
            hidden("request_id", r.id),
            text_field(t("admin_requests.refund_amount"), "amount_rupees", s.errors, type="number",
                       input_mode="decimal", field_id="refund-amount"),
            text_field(t("admin_requests.refund_reason"), "reason", s.errors, max_length=300, field_id="refund-reason"),
            submit_button(t("admin_requests.refund_button"), busy=s.busy), width="100%"),
        on_submit=s.refund, name="admin-refund", busy=s.busy, idempotency_key=s.submit_key, width="100%"))


@template(route=routes.ADMIN_REQUESTS, title="admin_requests.title", on_load=AdminRequestsState.load)
def admin_requests() -> rx.Component:
    """Search requests by status, service, place, dates and parties; one opens in detail."""
    s = AdminRequestsState
    statuses = [("", t("admin_common.any_status")), ("requested", t("admin_common.status_requested")),
                ("assigned", t("admin_common.status_assigned")), ("in_progress", t("admin_common.status_in_progress")),
                ("completed", t("admin_common.status_completed")), ("closed", t("admin_common.status_closed")),
                ("cancelled", t("admin_common.status_cancelled"))]
    return rx.vstack(
        rx.heading(t("admin_requests.heading"), size="7"),
        form(rx.vstack(
            rx.hstack(filter_select("status", t("admin_common.status"), statuses),
                      filter_select("service_id", t("admin_common.service"), [("", t("admin_requests.any_service"))],
                                    dynamic=s.service_options),
                      width="100%", wrap="wrap"),
            text_field(t("admin_common.pincode"), "pincode", s.errors, required=False, max_length=8,
                       input_mode="numeric"),
            rx.box(native_input(t("admin_requests.scheduled_from"), "date_from", s.errors, type="date",
                                required=False),
                   native_input(t("admin_requests.scheduled_to"), "date_to", s.errors, type="date", required=False),
                   class_name="field-pair"),
            text_field(t("admin_requests.customer_filter"), "customer", s.errors, required=False),
            text_field(t("admin_requests.professional_filter"), "professional", s.errors, required=False),
            submit_button(t("admin_requests.search"), busy=s.busy), width="100%"), on_submit=s.search,
            name="request-search", busy=s.busy, width="100%"),
        form_alert(s.error),
        notice(s.notice),
        rx.foreach(s.detail, lambda r: rx.card(rx.vstack(
            rx.heading(tf("admin_requests.detail_heading", id=r.id), " · ", r.service_name, size="4", as_="h2"),
            status_badge(r.status), detail(t("admin_common.customer"), r.customer_name),
            detail(t("admin_common.professional"), r.professional_name),
            detail(t("admin_requests.address"), r.address), detail(t("admin_requests.remarks"), r.remarks),
            detail(t("admin_requests.detail_cancelled"), r.cancel_reason),
            rx.cond(s.live_position != "", rx.callout(s.live_position, icon="navigation", color_scheme="blue",
                                                      size="1", id="admin-live-position")),
            timeline(r.timeline),
            money_panel(r),
            _refund_form(r),
            rx.vstack(rx.foreach(s.events, lambda e: rx.text(e.when, " · ", e.actor, " · ", action_code(e.action),
                                                             size="2")), id="request-events"),
            spacing="2", align="start"), width="100%", id="request-detail")),
        rx.vstack(rx.foreach(s.requests, _request_row), width="100%", id="request-list"),
        pager(s),
        spacing="4", width="100%", id="admin-requests",
    )
