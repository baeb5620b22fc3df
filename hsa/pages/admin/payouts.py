"""Admin payouts page: run the weekly payout batch (review, then confirm) and download bank files."""

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP, form, form_alert, native_input, notice, submit_button
from hsa.components.layout import template
from hsa.state.admin.payouts import AdminPayoutsState
from hsa.state.locale import t, tf


def _lines(title: str | rx.Var, lines: rx.Var, list_id: str, color: str = "gray") -> rx.Component:
    """One group of the report (paid, owing, held), hidden when empty."""
    return rx.cond(lines.length() > 0, rx.vstack(
        rx.heading(title, size="3", as_="h3"),
        rx.el.ul(rx.foreach(lines, lambda line: rx.el.li(rx.text(
            line.name, " · ", rx.text.strong(line.amount),
            rx.cond(line.note != "", rx.text.span(" · ", line.note, color_scheme=color)), size="2"))),
            id=list_id, style={"list_style": "none", "padding": "0", "margin": "0"}),
        spacing="1", width="100%"))


def _report() -> rx.Component:
    """The preview waiting for confirmation, or the batch just paid."""
    s = AdminPayoutsState
    ran = s.report_id > 0
    return rx.cond(s.shown, rx.card(rx.vstack(
        rx.heading(rx.cond(ran, rx.text.span(tf("admin_money.batch_paid_heading", id=s.report_id)),
                           rx.text.span(t("admin_money.review_heading"))),
                   size="4", as_="h2"),
        rx.text(t("admin_money.summary_lead"), rx.text.strong(s.report_period), ": ", s.report_count,
                rx.cond(s.report_count == 1, t("admin_money.summary_one"), t("admin_money.summary_many")),
                rx.text.strong(s.report_total),
                size="2", id="payout-summary"),
        _lines(rx.cond(ran, t("admin_money.paid"), t("admin_money.to_pay")), s.report_paid, "payout-lines"),
        _lines(t("admin_money.owes"), s.report_owes, "payout-owes", "amber"),
        _lines(t("admin_money.held"), s.report_held, "payout-held", "amber"),
        rx.cond(~ran, rx.cond(s.report_count > 0, rx.hstack(
            rx.button(t("admin_money.confirm_pay"), s.report_total, on_click=s.confirm, size="3",
                      color_scheme="green", min_height=TAP, id="confirm-payouts"),
            rx.button(t("admin_money.cancel"), on_click=s.cancel, size="3", variant="soft", min_height=TAP,
                      id="cancel-payouts"),
            spacing="2", wrap="wrap"),
            rx.text(t("admin_money.nobody_owed"), size="2", id="payout-nothing"))),
        spacing="3", width="100%", align="start"), width="100%", id="payout-preview"))


def _batch(b: rx.Var) -> rx.Component:
    return rx.card(rx.hstack(
        rx.vstack(rx.text(tf("admin_money.batch_line", id=b.id, period=b.period_label), weight="bold", size="2"),
                  rx.text(tf("admin_money.batch_stats", count=b.count, total=b.total, created=b.created), size="2",
                          color_scheme="gray"),
                  spacing="1"),
        rx.button(t("admin_common.download_csv"), on_click=AdminPayoutsState.download(b.id), size="3", variant="soft",
                  min_height=TAP, id="download-" + b.id.to_string(),
                  aria_label=tf("admin_money.batch_download_aria", id=b.id)),
        justify="between", align="center", wrap="wrap", width="100%", spacing="2",
    ), width="100%", id="batch-" + b.id.to_string())


@template(route=routes.ADMIN_PAYOUTS, title="admin_money.payouts_title", on_load=AdminPayoutsState.load)
def admin_payouts() -> rx.Component:
    """The run form, the report of the run under review, and the batches so far with their bank files."""
    s = AdminPayoutsState
    return rx.vstack(
        rx.heading(t("admin_money.payouts_title"), size="7"),
        rx.text(t("admin_money.payouts_explain"), size="2", color_scheme="gray"),
        notice(s.notice), form_alert(s.error),
        rx.cond(s.loaded, form(rx.vstack(
            native_input(t("admin_money.period_end"), "period_end", s.errors, type="date",
                         value=s.period_day),
            submit_button(t("admin_money.run"), busy=s.busy), width="100%"),
            on_submit=s.review, name="payout-run", busy=s.busy, width="100%", key=s.period_day)),
        _report(),
        rx.heading(t("admin_money.batches"), size="5", as_="h2"),
        rx.text(t("admin_money.bank_file_explain"), size="2", color_scheme="gray"),
        rx.cond(s.batches.length() > 0, rx.vstack(rx.foreach(s.batches, _batch), width="100%", id="batch-list"),
                rx.text(t("admin_money.no_payouts"), size="2", id="no-batches")),
        spacing="4", width="100%", id="admin-payouts",
    )
