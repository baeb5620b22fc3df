"""Admin payouts page: run the weekly payout batch (review, then confirm) and download bank files."""

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP, form, form_alert, native_input, notice, submit_button
from hsa.components.layout import template
from hsa.state.admin.payouts import AdminPayoutsState

EXPLAIN = ("Pays every professional what HomeServe owes them for work up to the end of the chosen day (India "
           "time). A job whose customer has not paid yet waits for a later run; a professional holding cash from "
           "cash jobs is listed, not paid. Running the same week again pays only what was earned since.")


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
        rx.heading(rx.cond(ran, rx.text.span("Batch #", s.report_id, " paid"), rx.text.span("Review the payouts")),
                   size="4", as_="h2"),
        rx.text("Work up to the end of ", rx.text.strong(s.report_period), ": ", s.report_count,
                rx.cond(s.report_count == 1, " professional, ", " professionals, "), rx.text.strong(s.report_total),
                size="2", id="payout-summary"),
        _lines(rx.cond(ran, "Paid", "To pay"), s.report_paid, "payout-lines"),
        _lines("Owe HomeServe (cash they collected): not paid", s.report_owes, "payout-owes", "amber"),
        _lines("Held: cannot be paid", s.report_held, "payout-held", "amber"),
        rx.cond(~ran, rx.cond(s.report_count > 0, rx.hstack(
            rx.button("Confirm: pay ", s.report_total, on_click=s.confirm, size="3", color_scheme="green",
                      min_height=TAP, id="confirm-payouts"),
            rx.button("Cancel", on_click=s.cancel, size="3", variant="soft", min_height=TAP, id="cancel-payouts"),
            spacing="2", wrap="wrap"),
            rx.text("Nobody is owed a payout for this period.", size="2", id="payout-nothing"))),
        spacing="3", width="100%", align="start"), width="100%", id="payout-preview"))


def _batch(b: rx.Var) -> rx.Component:
    return rx.card(rx.hstack(
        rx.vstack(rx.text("#", b.id, " · work up to ", b.period_label, weight="bold", size="2"),
                  rx.text(b.count, " paid · ", b.total, " · run ", b.created, size="2", color_scheme="gray"),
                  spacing="1"),
        rx.button("Download CSV", on_click=AdminPayoutsState.download(b.id), size="3", variant="soft",
                  min_height=TAP, id="download-" + b.id.to_string(),
                  aria_label="Download the bank file of batch " + b.id.to_string()),
        justify="between", align="center", wrap="wrap", width="100%", spacing="2",
    ), width="100%", id="batch-" + b.id.to_string())


@template(route=routes.ADMIN_PAYOUTS, title="Payouts", on_load=AdminPayoutsState.load)
def admin_payouts() -> rx.Component:
    """The run form, the report of the run under review, and the batches so far with their bank files."""
    s = AdminPayoutsState
    return rx.vstack(
        rx.heading("Payouts", size="7"),
        rx.text(EXPLAIN, size="2", color_scheme="gray"),
        notice(s.notice), form_alert(s.error),
        rx.cond(s.loaded, form(rx.vstack(
            native_input("Pay for work up to the end of (IST)", "period_end", s.errors, type="date",
                         value=s.period_day),
            submit_button("Run payouts", busy=s.busy), width="100%"),
            on_submit=s.review, name="payout-run", busy=s.busy, width="100%", key=s.period_day)),
        _report(),
        rx.heading("Batches", size="5", as_="h2"),
        rx.text("The bank file lists name, phone, email, amount and reference; HomeServe holds no bank account "
                "numbers, so match each beneficiary in the bank's portal before uploading.", size="2",
                color_scheme="gray"),
        rx.cond(s.batches.length() > 0, rx.vstack(rx.foreach(s.batches, _batch), width="100%", id="batch-list"),
                rx.text("No payouts yet.", size="2", id="no-batches")),
        spacing="4", width="100%", id="admin-payouts",
    )
