"""Admin Demand page: 14 days of forecast requests for a service in a city (with the method shown and
its interval), and where to recruit: every service x city ranked by shortfall against capacity."""

import reflex as rx

from hsa import routes
from hsa.components.forms import form_alert, select_field
from hsa.components.layout import template
from hsa.state.admin.demand import AdminDemandState, RecruitRow
from hsa.state.locale import t, tf

_NO_ERRORS: rx.Var = rx.Var.create({})
# The recruit table's column headings (catalog keys).
HEADERS = ("admin_common.service", "admin_ops.city", "admin_ops.demand_14d", "admin_ops.professionals",
           "admin_ops.capacity_14d", "admin_ops.shortfall", "admin_ops.to_recruit", "admin_ops.forecast_by")


def _row(r: RecruitRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r.service), rx.table.cell(r.city), rx.table.cell(r.demand, text_align="right"),
        rx.table.cell(r.professionals, text_align="right"), rx.table.cell(r.capacity, text_align="right"),
        rx.table.cell(r.shortfall, text_align="right"), rx.table.cell(r.recruit, text_align="right"),
        rx.table.cell(r.method), id="recruit-" + r.key, class_name="recruit-row")


def _recruit_table() -> rx.Component:
    s = AdminDemandState
    head = rx.table.header(rx.table.row(*(rx.table.column_header_cell(t(h)) for h in HEADERS)))
    return rx.vstack(
        rx.heading(t("admin_ops.recruit_heading"), size="5", as_="h2"),
        rx.text(t("admin_ops.capacity_note"), size="2", color_scheme="gray"),
        # a data table may scroll sideways on a phone (WCAG 1.4.10); focusable so keys can scroll it
        rx.box(rx.table.root(head, rx.table.body(rx.foreach(s.rows, _row)), size="1", variant="surface",
                             aria_label=t("admin_ops.recruit_heading")),
               class_name="table-scroll", tab_index=0, role="region", aria_label=t("admin_ops.recruit_table"),
               width="100%"),
        spacing="2", width="100%", min_width="0", id="recruit")


def _pickers() -> rx.Component:
    s = AdminDemandState
    return rx.box(
        select_field(t("admin_common.service"), "service", _NO_ERRORS, s.service_options, placeholder=None,
                     value=s.service_id, required=False, field_id="demand-service", on_change=s.pick_service),
        rx.box(select_field(t("admin_ops.city"), "city", _NO_ERRORS, s.city_options, placeholder=None, value=s.city,
                            required=False, field_id="demand-city", on_change=s.pick_city),
               key=s.service_id + "-" + s.city),
        class_name="field-pair", width="100%", key=s.service_id)


@template(route=routes.ADMIN_DEMAND, title="nav.demand", on_load=AdminDemandState.load)
def admin_demand() -> rx.Component:
    s = AdminDemandState
    return rx.vstack(
        rx.heading(t("nav.demand"), size="7"),
        rx.text(t("admin_ops.demand_intro"), size="2", color_scheme="gray"),
        form_alert(s.error),
        rx.cond(s.loaded, rx.cond(
            s.has_data,
            rx.vstack(
                _pickers(),
                rx.text(s.method_line, weight="bold", id="demand-method"),
                rx.text(s.note, " ", s.backtest, size="2", color_scheme="gray", id="demand-note"),
                rx.card(rx.plotly(data=s.figure, use_resize_handler=True, width="100%"), width="100%",
                        min_width="0", id="chart-demand"),
                rx.text(tf("admin_ops.computed", when=s.computed), size="1", color_scheme="gray"),
                _recruit_table(),
                spacing="3", width="100%", min_width="0"),
            rx.text(t("admin_ops.demand_empty"), id="demand-empty")),
            rx.spinner(size="3")),
        spacing="4", width="100%", min_width="0", id="admin-demand",
    )
