"""Admin dashboard."""

import reflex as rx

from hsa import routes
from hsa.components.cards import kpi_card
from hsa.components.forms import form_alert
from hsa.components.layout import template
from hsa.state.admin import AdminHomeState


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
