"""Role homes: customer, professional, admin."""

import reflex as rx

from hsa import routes
from hsa.components.cards import kpi_card, service_card
from hsa.components.forms import form_alert
from hsa.components.layout import template
from hsa.state.auth import SessionState
from hsa.state.dashboards import AdminHomeState, CustomerHomeState, ProHomeState


@template(route=routes.CUSTOMER_HOME, title="Your home", on_load=CustomerHomeState.load)
def customer_home() -> rx.Component:
    return rx.cond(CustomerHomeState.loaded, rx.vstack(
        rx.heading("Hello, ", SessionState.viewer_name, size="7", id="welcome"),
        rx.text("Services available near ", CustomerHomeState.locality, "."),
        rx.box(rx.foreach(CustomerHomeState.services, service_card), class_name="card-grid"),
        spacing="4", id="customer-dashboard",
    ), rx.spinner(size="3"))


def _approval_callout() -> rx.Component:
    return rx.match(
        ProHomeState.approval_status,
        ("approved", rx.callout("Your account is approved. You can receive jobs.", icon="check",
                                color_scheme="green", id="approval")),
        ("rejected", rx.callout(rx.text("Your application was not approved: ", ProHomeState.approval_reason),
                                icon="x", color_scheme="red", id="approval")),
        rx.callout("Awaiting approval: an admin is reviewing your application. You will be able to "
                   "accept jobs once approved.", icon="clock", color_scheme="amber", id="approval"),
    )


@template(route=routes.PRO_HOME, title="Professional", on_load=ProHomeState.load)
def professional_home() -> rx.Component:
    return rx.cond(ProHomeState.loaded, rx.vstack(
        rx.heading("Hello, ", SessionState.viewer_name, size="7", id="welcome"),
        _approval_callout(),
        rx.text("Service: ", rx.text.strong(ProHomeState.service_name), " · ",
                ProHomeState.experience_years, " years of experience"),
        spacing="4", id="professional-dashboard",
    ), rx.spinner(size="3"))


@template(route=routes.ADMIN_HOME, title="Admin", on_load=AdminHomeState.load)
def admin_home() -> rx.Component:
    s = AdminHomeState.summary
    return rx.cond(AdminHomeState.loaded, rx.vstack(
        rx.heading("Admin dashboard", size="7", id="admin-title"),
        form_alert(AdminHomeState.error),
        rx.box(
            kpi_card("Customers", s["customers"], id="kpi-customers"),
            kpi_card("Professionals approved", s["professionals_approved"], id="kpi-pros-approved"),
            kpi_card("Awaiting approval", s["professionals_pending"], id="kpi-pros-pending"),
            kpi_card("Active services", s["services_active"], id="kpi-services"),
            kpi_card("Service requests", s["requests_total"], id="kpi-requests"),
            kpi_card("Blocked users", s["users_blocked"], id="kpi-blocked"),
            class_name="kpi-grid",
        ),
        spacing="4", id="admin-dashboard",
    ), rx.spinner(size="3"))
