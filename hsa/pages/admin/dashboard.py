"""Admin dashboard page: KPI cards and charts that update live as people book, accept and rate."""

import reflex as rx

from hsa import routes
from hsa.components.cards import kpi_card
from hsa.components.forms import form_alert
from hsa.components.layout import template
from hsa.state.admin.dashboard import AdminHomeState
from hsa.state.locale import t


def _chart(fig: rx.Var, chart_id: str) -> rx.Component:
    """A plotly figure in a card; the id lets browser tests find each chart."""
    return rx.card(rx.plotly(data=fig, use_resize_handler=True, width="100%"), width="100%", id=chart_id)


@template(route=routes.ADMIN_HOME, title="admin_trust.admin_title", on_load=AdminHomeState.load)
def admin_home() -> rx.Component:
    """KPIs and charts; a spinner until the first load fills them."""
    k = AdminHomeState.kpis
    return rx.cond(AdminHomeState.loaded, rx.vstack(
        rx.heading(t("admin_trust.dashboard_heading"), size="7", id="admin-title"),
        rx.text(t("admin_trust.dashboard_intro"), size="2", color_scheme="gray"),
        form_alert(AdminHomeState.error),
        rx.box(
            kpi_card(t("admin_trust.kpi_customers"), k["customers"], id="kpi-customers"),
            kpi_card(t("admin_trust.kpi_pros_approved"), k["pros_approved"], id="kpi-pros-approved"),
            kpi_card(t("admin_trust.kpi_pros_pending"), k["pros_pending"], id="kpi-pros-pending"),
            kpi_card(t("admin_trust.kpi_requests_today"), k["requests_today"], id="kpi-today"),
            kpi_card(t("admin_trust.kpi_requested"), k["requested"], id="kpi-requested"),
            kpi_card(t("admin_trust.kpi_completion"), k["completion"], id="kpi-completion"),
            kpi_card(t("admin_trust.kpi_rating"), k["rating"], id="kpi-rating"),
            kpi_card(t("admin_trust.kpi_revenue"), k["revenue"], id="kpi-revenue"),
            class_name="kpi-grid",
        ),
        rx.box(
            _chart(AdminHomeState.status_chart, "chart-status"),
            rx.cond(AdminHomeState.has_ratings, _chart(AdminHomeState.rating_chart, "chart-ratings"),
                    rx.card(rx.text(t("admin_trust.no_ratings"), id="no-ratings"), width="100%")),
            _chart(AdminHomeState.trend_chart, "chart-trend"),
            _chart(AdminHomeState.services_chart, "chart-services"),
            _chart(AdminHomeState.pincodes_chart, "chart-pincodes"),
            class_name="chart-grid",
        ),
        spacing="4", id="admin-dashboard", width="100%",
    ), rx.spinner(size="3"))
