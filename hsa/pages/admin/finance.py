"""Admin finance page: a range's revenue, commission, GST, refunds and payouts, charted by day,
service and city (each chart with its table), and the CSV exports with their progress."""

import reflex as rx

from hsa import routes
from hsa.components.downloads import download_link
from hsa.components.forms import TAP, form, form_alert, native_input, submit_button
from hsa.components.layout import template
from hsa.state.admin.finance import AdminFinanceState

EXPLAIN = ("Money received from customers less refunds, HomeServe's commission and platform fees, and GST, "
           "as the books recorded them on each day (India time). Payouts due is what a payout run would send now.")
EXPORT_KINDS = (("requests", "Requests"), ("payments", "Payments"), ("payouts", "Payouts"),
                ("professionals", "Professionals"))


def _kpi(label: str, key: str) -> rx.Component:
    return rx.card(rx.vstack(rx.text(label, size="2", color_scheme="gray"),
                             rx.heading(AdminFinanceState.kpis[key], size="6", id=f"kpi-{key}"), spacing="1"))


def _cell(value: rx.Var, header: bool = False) -> rx.Component:
    return rx.table.row_header_cell(value) if header else rx.table.cell(value, text_align="right")


def _table(rows: rx.Var, caption: str, first: str, table_id: str) -> rx.Component:
    """The chart's numbers as a table: what a screen reader (or anyone) reads instead of the bars."""
    head = rx.table.header(rx.table.row(*(rx.table.column_header_cell(h) for h in (
        first, "Revenue", "Commission", "GST", "Refunds"))))
    body = rx.table.body(rx.foreach(rows, lambda r: rx.table.row(
        _cell(r.label, header=True), _cell(r.revenue), _cell(r.commission), _cell(r.gst), _cell(r.refunds))))
    return rx.el.details(
        rx.el.summary(f"Table: {caption}", min_height=TAP, display="flex", align_items="center", cursor="pointer"),
        # a data table may scroll sideways on a phone (WCAG 1.4.10); focusable so keys can scroll it
        rx.box(rx.table.root(head, body, size="1", variant="surface", aria_label=caption),
               class_name="table-scroll", tab_index=0, role="region", aria_label=f"Table: {caption}"),
        id=table_id, width="100%", min_width="0")


def _chart(fig: rx.Var, chart_id: str, rows: rx.Var, caption: str, first: str) -> rx.Component:
    return rx.card(rx.vstack(
        rx.plotly(data=fig, use_resize_handler=True, width="100%"),
        _table(rows, caption, first, f"{chart_id}-table"), spacing="2", width="100%"), width="100%", min_width="0",
        id=chart_id)


def _range_form() -> rx.Component:
    s = AdminFinanceState
    return form(rx.vstack(
        rx.box(native_input("From (IST)", "date_from", s.errors, type="date", value=s.date_from, required=False),
               native_input("To (IST)", "date_to", s.errors, type="date", value=s.date_to, required=False),
               class_name="field-pair"),
        submit_button("Show figures", busy=s.busy), width="100%"),
        on_submit=s.show_range, name="finance-range", busy=s.busy, width="100%", key=s.date_from + s.date_to)


def _export_button(kind: str, label: str) -> rx.Component:
    return rx.button(f"Export {label.lower()}", on_click=AdminFinanceState.start_export(kind), size="3",
                     variant="soft", min_height=TAP, disabled=AdminFinanceState.exporting, id=f"export-{kind}")


def _download(e: rx.Var, link_id: rx.Var | str) -> rx.Component:
    return download_link("Download CSV", e.url, filename=e.filename, link_id=link_id,
                         aria_label="Download " + e.title + " (CSV)")


def _current() -> rx.Component:
    """The export this tab runs: its bar while it writes, then its download link."""
    e = AdminFinanceState.export
    return rx.cond(e.id != "", rx.card(rx.vstack(
        rx.text(e.title, weight="bold", size="2"),
        rx.progress(value=e.percent, max=100, width="100%", id="export-progress",
                    aria_label="Export progress", aria_valuetext=e.percent.to_string() + " %"),
        rx.text(e.percent.to_string() + " % · " + e.rows, size="2", id="export-rows", aria_live="polite"),
        rx.cond(e.url != "", _download(e, "export-download")),
        spacing="2", width="100%"), width="100%", id="export-current"))


def _recent(e: rx.Var) -> rx.Component:
    return rx.el.li(rx.hstack(
        rx.vstack(rx.text(e.title, size="2", weight="bold"), rx.text(e.rows, " · ", e.state, size="1",
                                                                       color_scheme="gray"), spacing="0"),
        rx.cond(e.url != "", _download(e, "download-" + e.id)),
        justify="between", align="center", wrap="wrap", width="100%"))


def _exports() -> rx.Component:
    s = AdminFinanceState
    return rx.vstack(
        rx.heading("Exports (CSV)", size="5", as_="h2"),
        rx.text("Every row, written in the background; the file is kept for a day. Only the professionals export "
                "has phone numbers and emails.", size="2", color_scheme="gray"),
        rx.hstack(*(_export_button(k, label) for k, label in EXPORT_KINDS), wrap="wrap", spacing="2"),
        rx.cond(s.export_error != "", rx.callout(s.export_error, icon="triangle_alert", color_scheme="red",
                                                 role="alert", id="export-error", width="100%")),
        _current(),
        rx.cond(s.recent.length() > 0, rx.el.ul(rx.foreach(s.recent, _recent), id="recent-exports",
                                                 style={"list_style": "none", "padding": "0", "width": "100%"})),
        spacing="3", width="100%")


@template(route=routes.ADMIN_FINANCE, title="Finance", on_load=AdminFinanceState.load)
def admin_finance() -> rx.Component:
    """Range form, KPIs, charts with tables, exports; a spinner until the first load."""
    s = AdminFinanceState
    return rx.cond(s.loaded, rx.vstack(
        rx.heading("Finance", size="7"),
        rx.text(EXPLAIN, size="2", color_scheme="gray"),
        form_alert(s.error),
        _range_form(),
        rx.text(s.range_label, size="2", weight="bold", id="finance-range-label"),
        rx.box(_kpi("Revenue (received less refunds)", "revenue"), _kpi("Commission and fees", "commission"),
               _kpi("GST collected", "gst"), _kpi("Refunds", "refunds"), _kpi("Payouts made", "payouts"),
               _kpi("Payouts due now", "due"), class_name="kpi-grid", id="finance-kpis"),
        rx.box(_chart(s.day_chart, "chart-finance-day", s.day_rows, "figures by day", "Day"),
               _chart(s.service_chart, "chart-finance-service", s.service_rows, "figures by service", "Service"),
               _chart(s.city_chart, "chart-finance-city", s.city_rows, "figures by city", "City"),
               class_name="chart-grid"),
        _exports(),
        spacing="4", width="100%", id="admin-finance",
    ), rx.spinner(size="3"))
