"""Admin requests page: search every service request and open one's timeline and live position."""

import reflex as rx

from hsa import routes
from hsa.components.admin import filter_select, pager
from hsa.components.forms import TAP, form, form_alert, native_input, notice, submit_button, text_field
from hsa.components.layout import template
from hsa.components.payment import money_panel
from hsa.components.requests import detail, hidden, status_badge, timeline
from hsa.state.admin.requests import AdminRequestsState


def _request_row(r: rx.Var) -> rx.Component:
    """One request in the results; Timeline opens its detail above the list."""
    return rx.card(rx.vstack(
        rx.hstack(rx.text("#", r.id, " ", r.service_name, weight="bold"), status_badge(r.status),
                  spacing="2", wrap="wrap"),
        rx.text(r.when, " · ", r.pincode, " · ", r.total, size="2"),
        rx.text(r.customer_name, rx.cond(r.professional_name != "", rx.text.span(" → ", r.professional_name)),
                size="2", color_scheme="gray"),
        rx.button("Timeline", on_click=AdminRequestsState.open_request(r.id), size="3", variant="soft",
                  min_height=TAP, id="timeline-" + r.id.to_string()),
        spacing="1", align="start", width="100%"), width="100%")


def _refund_form(r: rx.Var) -> rx.Component:
    """Support refunds part or all of what was paid online (through the gateway; the customer is told)."""
    s = AdminRequestsState
    return rx.cond(r.paid_amount != "", form(
        rx.vstack(
            hidden("request_id", r.id),
            text_field("Refund to the customer (₹)", "amount_rupees", s.errors, type="number", input_mode="decimal",
                       field_id="refund-amount"),
            text_field("Reason (the customer reads it)", "reason", s.errors, max_length=300, field_id="refund-reason"),
            submit_button("Refund", busy=s.busy), width="100%"),
        on_submit=s.refund, name="admin-refund", busy=s.busy, idempotency_key=s.submit_key, width="100%"))


@template(route=routes.ADMIN_REQUESTS, title="Requests", on_load=AdminRequestsState.load)
def admin_requests() -> rx.Component:
    """Search requests by status, service, place, dates and parties; one opens in detail."""
    s = AdminRequestsState
    statuses = [("", "Any status"), ("requested", "Waiting"), ("assigned", "Accepted"),
                ("in_progress", "In progress"), ("completed", "Completed"), ("closed", "Closed"),
                ("cancelled", "Cancelled")]
    return rx.vstack(
        rx.heading("Service requests", size="7"),
        form(rx.vstack(
            rx.hstack(filter_select("status", "Status", statuses),
                      filter_select("service_id", "Service", [("", "Any service")], dynamic=s.service_options),
                      width="100%", wrap="wrap"),
            text_field("Pincode", "pincode", s.errors, required=False, max_length=8, input_mode="numeric"),
            rx.box(native_input("Scheduled from", "date_from", s.errors, type="date", required=False),
                   native_input("to", "date_to", s.errors, type="date", required=False), class_name="field-pair"),
            text_field("Customer (name or email)", "customer", s.errors, required=False),
            text_field("Professional (name or email)", "professional", s.errors, required=False),
            submit_button("Search requests", busy=s.busy), width="100%"), on_submit=s.search, name="request-search",
            busy=s.busy, width="100%"),
        form_alert(s.error),
        notice(s.notice),
        rx.foreach(s.detail, lambda r: rx.card(rx.vstack(
            rx.heading("Request #", r.id, " · ", r.service_name, size="4", as_="h2"),
            status_badge(r.status), detail("Customer", r.customer_name), detail("Professional", r.professional_name),
            detail("Address", r.address), detail("Remarks", r.remarks), detail("Cancelled", r.cancel_reason),
            rx.cond(s.live_position != "", rx.callout(s.live_position, icon="navigation", color_scheme="blue",
                                                      size="1", id="admin-live-position")),
            timeline(r.timeline),
            money_panel(r),
            _refund_form(r),
            rx.vstack(rx.foreach(s.events, lambda e: rx.text(e.when, " · ", e.actor, " · ", e.action, size="2")),
                      id="request-events"),
            spacing="2", align="start"), width="100%", id="request-detail")),
        rx.vstack(rx.foreach(s.requests, _request_row), width="100%", id="request-list"),
        pager(s),
        spacing="4", width="100%", id="admin-requests",
    )
