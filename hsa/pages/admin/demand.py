"""Admin Demand page: 14 days of forecast requests for a service in a city (with the method shown and
its interval), and where to recruit: every service x city ranked by shortfall against capacity."""

import reflex as rx

from hsa import routes
from hsa.components.forms import form_alert, select_field
from hsa.components.layout import template
from hsa.state.admin.demand import AdminDemandState, RecruitRow

_NO_ERRORS: rx.Var = rx.Var.create({})
HEADERS = ("Service", "City", "Demand (14 days)", "Professionals", "Capacity (14 days)", "Shortfall", "To recruit",
           "Forecast by")
CAPACITY = ("Capacity: each approved, active, not suspended professional of the service whose pincode is in "
            "the city, 8 hours a day, 6 days a week, as many whole jobs of the service's length as fit.")


def _row(r: RecruitRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r.service), rx.table.cell(r.city), rx.table.cell(r.demand, text_align="right"),
        rx.table.cell(r.professionals, text_align="right"), rx.table.cell(r.capacity, text_align="right"),
        rx.table.cell(r.shortfall, text_align="right"), rx.table.cell(r.recruit, text_align="right"),
        rx.table.cell(r.method), id="recruit-" + r.key, class_name="recruit-row")


def _recruit_table() -> rx.Component:
    s = AdminDemandState
    head = rx.table.header(rx.table.row(*(rx.table.column_header_cell(h) for h in HEADERS)))
    return rx.vstack(
        rx.heading("Where to recruit", size="5", as_="h2"),
        rx.text(CAPACITY, size="2", color_scheme="gray"),
        # a data table may scroll sideways on a phone (WCAG 1.4.10); focusable so keys can scroll it
        rx.box(rx.table.root(head, rx.table.body(rx.foreach(s.rows, _row)), size="1", variant="surface",
                             aria_label="Where to recruit"),
               class_name="table-scroll", tab_index=0, role="region", aria_label="Table: where to recruit",
               width="100%"),
        spacing="2", width="100%", min_width="0", id="recruit")


def _pickers() -> rx.Component:
    s = AdminDemandState
    return rx.box(
        select_field("Service", "service", _NO_ERRORS, s.service_options, placeholder=None, value=s.service_id,
                     required=False, field_id="demand-service", on_change=s.pick_service),
        rx.box(select_field("City", "city", _NO_ERRORS, s.city_options, placeholder=None, value=s.city,
                            required=False, field_id="demand-city", on_change=s.pick_city),
               key=s.service_id + "-" + s.city),
        class_name="field-pair", width="100%", key=s.service_id)


@template(route=routes.ADMIN_DEMAND, title="Demand", on_load=AdminDemandState.load)
def admin_demand() -> rx.Component:
    s = AdminDemandState
    return rx.vstack(
        rx.heading("Demand", size="7"),
        rx.text("Requests expected per day for the next 14 days, from the daily forecast job.", size="2",
                color_scheme="gray"),
        form_alert(s.error),
        rx.cond(s.loaded, rx.cond(
            s.has_data,
            rx.vstack(
                _pickers(),
                rx.text(s.method_line, weight="bold", id="demand-method"),
                rx.text(s.note, " ", s.backtest, size="2", color_scheme="gray", id="demand-note"),
                rx.card(rx.plotly(data=s.figure, use_resize_handler=True, width="100%"), width="100%",
                        min_width="0", id="chart-demand"),
                rx.text("Computed ", s.computed, size="1", color_scheme="gray"),
                _recruit_table(),
                spacing="3", width="100%", min_width="0"),
            rx.text("No forecasts yet: they are computed once a day (python -m hsa.cli forecast computes them now).",
                    id="demand-empty")),
            rx.spinner(size="3")),
        spacing="4", width="100%", min_width="0", id="admin-demand",
    )
