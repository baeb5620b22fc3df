"""Admin finance page: a range's revenue, commission, GST, refunds and payouts, charted by day,
service and city (each chart with its table), and the CSV exports with their progress."""

import reflex as rx

from hsa import routes
from hsa.components.downloads import download_link
from hsa.components.forms import TAP, form, form_alert, native_input, submit_button
from hsa.components.layout import template
from hsa.state.admin.finance import AdminFinanceState
from hsa.state.locale import t, tf


def _export_kinds() -> tuple[tuple[str, rx.Var], ...]:
    """Each export kind with its button's text."""
    return (("requests", t("admin_money.export_requests")), ("payments", t("admin_money.export_payments")),
            ("payouts", t("admin_money.export_payouts")), ("professionals", t("admin_money.export_professionals")))


def _kpi(label: rx.Var, key: str) -> rx.Component:
    return rx.card(rx.vstack(rx.text(label, size="2", color_scheme="gray"),
                             rx.heading(AdminFinanceState.kpis[key], size="6", id=f"kpi-{key}"), spacing="1"))


def _cell(value: rx.Var, header: bool = False) -> rx.Component:
    return rx.table.row_header_cell(value) if header else rx.table.cell(value, text_align="right")


def _table(rows: rx.Var, caption: rx.Var, first: rx.Var, table_id: str) -> rx.Component:
    """The chart's numbers as a table: what a screen reader (or anyone) reads instead of the bars."""
    head = rx.table.header(rx.table.row(*(rx.table.column_header_cell(h) for h in (
        first, t("admin_money.revenue"), t("admin_money.commission"), "GST", t("admin_money.refunds")))))
    titled = tf("admin_money.table_caption", caption=caption)
    body = rx.table.body(rx.foreach(rows, lambda r: rx.table.row(
        _cell(r.label, header=True), _cell(r.revenue), _cell(r.commission), _cell(r.gst), _cell(r.refunds))))
    return rx.el.details(
        rx.el.summary(titled, min_height=TAP, display="flex", align_items="center", cursor="pointer"),
        # a data table may scroll sideways on a phone (WCAG 1.4.10); focusable so keys can scroll it
        rx.box(rx.table.root(head, body, size="1", variant="surface", aria_label=caption),
               class_name="table-scroll", tab_index=0, role="region", aria_label=titled),
        id=table_id, width="100%", min_width="0")


def _chart(fig: rx.Var, chart_id: str, rows: rx.Var, caption: rx.Var, first: rx.Var) -> rx.Component:
    return rx.card(rx.vstack(
        rx.plotly(data=fig, use_resize_handler=True, width="100%"),
        _table(rows, caption, first, f"{chart_id}-table"), spacing="2", width="100%"), width="100%", min_width="0",
        id=chart_id)


def _range_form() -> rx.Component:
    s = AdminFinanceState
    return form(rx.vstack(
        rx.box(native_input(t("admin_money.date_from"), "date_from", s.errors, type="date", value=s.date_from,
                            required=False),
               native_input(t("admin_money.date_to"), "date_to", s.errors, type="date", value=s.date_to,
                            required=False),
               class_name="field-pair"),
        submit_button(t("admin_money.show_figures"), busy=s.busy), width="100%"),
        on_submit=s.show_range, name="finance-range", busy=s.busy, width="100%", key=s.date_from + s.date_to)


def _export_button(kind: str, label: rx.Var) -> rx.Component:
    return rx.button(label, on_click=AdminFinanceState.start_export(kind), size="3",
                     variant="soft", min_height=TAP, disabled=AdminFinanceState.exporting, id=f"export-{kind}")


def _download(e: rx.Var, link_id: rx.Var | str) -> rx.Component:
    return download_link(t("admin_common.download_csv"), e.url, filename=e.filename, link_id=link_id,
                         aria_label=tf("admin_money.download_aria", title=e.title))


def _current() -> rx.Component:
    """The export this tab runs: its bar while it writes, then its download link."""
    e = AdminFinanceState.export
    return rx.cond(e.id != "", rx.card(rx.vstack(
        rx.text(e.title, weight="bold", size="2"),
        rx.progress(value=e.percent, max=100, width="100%", id="export-progress",
                    aria_label=t("admin_money.export_progress"), aria_valuetext=e.percent.to_string() + " %"),
        rx.text(e.percent.to_string() + " % · " + e.rows, size="2", id="export-rows", aria_live="polite"),
        rx.cond(e.url != "", _download(e, "export-download")),
        spacing="2", width="100%"), width="100%", id="export-current"))


def _state(state: rx.Var) -> rx.Var | rx.Component:
    """An export's state (a technical value) in words."""
    return rx.match(state, ("running", t("admin_money.export_running")), ("done", t("admin_money.export_done")),
                    ("failed", t("admin_money.export_failed_state")), ("stopped", t("admin_money.export_stopped")),
                    state)


def _recent(e: rx.Var) -> rx.Component:
    return rx.el.li(rx.hstack(
        rx.vstack(rx.text(e.title, size="2", weight="bold"), rx.text(e.rows, " · ", _state(e.state), size="1",
                                                                       color_scheme="gray"), spacing="0"),
        rx.cond(e.url != "", _download(e, "download-" + e.id)),
        justify="between", align="center", wrap="wrap", width="100%"))


def _exports() -> rx.Component:
    s = AdminFinanceState
    return rx.vstack(
        rx.heading(t("admin_money.exports_heading"), size="5", as_="h2"),
        rx.text(t("admin_money.exports_explain"), size="2", color_scheme="gray"),
        rx.hstack(*(_export_button(k, label) for k, label in _export_kinds()), wrap="wrap", spacing="2"),
        rx.cond(s.export_error != "", rx.callout(s.export_error, icon="triangle_alert", color_scheme="red",
                                                 role="alert", id="export-error", width="100%")),
        _current(),
        rx.cond(s.recent.length() > 0, rx.el.ul(rx.foreach(s.recent, _recent), id="recent-exports",
                                                 style={"list_style": "none", "padding": "0", "width": "100%"})),
        spacing="3", width="100%")


@template(route=routes.ADMIN_FINANCE, title="admin_money.finance_title", on_load=AdminFinanceState.load)
def admin_finance() -> rx.Component:
    """Range form, KPIs, charts with tables, exports; a spinner until the first load."""
    s = AdminFinanceState
    return rx.cond(s.loaded, rx.vstack(
        rx.heading(t("admin_money.finance_title"), size="7"),
        rx.text(t("admin_money.finance_explain"), size="2", color_scheme="gray"),
        form_alert(s.error),
        _range_form(),
        rx.text(s.range_label, size="2", weight="bold", id="finance-range-label"),
        rx.box(_kpi(t("admin_money.kpi_revenue"), "revenue"), _kpi(t("admin_money.commission_fees"), "commission"),
               _kpi(t("admin_money.gst_collected"), "gst"), _kpi(t("admin_money.refunds"), "refunds"),
               _kpi(t("admin_money.payouts_made"), "payouts"), _kpi(t("admin_money.payouts_due"), "due"),
               class_name="kpi-grid", id="finance-kpis"),
        rx.box(_chart(s.day_chart, "chart-finance-day", s.day_rows, t("admin_money.figures_by_day"),
                      t("admin_money.day")),
               _chart(s.service_chart, "chart-finance-service", s.service_rows, t("admin_money.figures_by_service"),
                      t("admin_common.service")),
               _chart(s.city_chart, "chart-finance-city", s.city_rows, t("admin_money.figures_by_city"),
                      t("admin_money.city")),
               class_name="chart-grid"),
        _exports(),
        spacing="4", width="100%", id="admin-finance",
    ), rx.spinner(size="3"))
