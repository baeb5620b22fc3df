"""The professional's earnings: paid out, ready for the next weekly payout, waiting for customers,
and cash they hold for HomeServe; then a monthly statement (PDF) and the recent payouts with the
reference their bank shows."""

import reflex as rx

from hsa import routes
from hsa.components.forms import select_field
from hsa.components.layout import template
from hsa.components.payment import pdf_link
from hsa.state.earnings import ProEarningsState

_NO_ERRORS: rx.Var = rx.Var.create({})


def _total(label: str, value: rx.Var, hint: str, total_id: str) -> rx.Component:
    """One labelled figure; the hint says what it counts (the label alone is ambiguous)."""
    return rx.card(rx.vstack(
        rx.text(label, size="2", color_scheme="gray"),
        rx.heading(value, size="6", id=total_id),
        rx.text(hint, size="1", color_scheme="gray"),
        spacing="1"), width="100%")


def _statement() -> rx.Component:
    """Pick a month, download its PDF: a native select (the phone's own picker) and a link whose
    signed URL the state swapped in for that month; not a form, nothing is submitted."""
    s = ProEarningsState
    return rx.vstack(
        rx.heading("Monthly statement", size="5", as_="h2"),
        rx.text("One month on paper: each job and your share, cancellation fees, cash you collected, payouts, "
                "and what HomeServe owed you when the month began and ended.", size="2", color_scheme="gray"),
        rx.box(select_field("Statement month", "month", _NO_ERRORS, s.months, placeholder=None, value=s.month,
                            required=False, field_id="statement-month", on_change=s.choose_month),
               max_width="20rem", width="100%"),
        pdf_link("Download statement (PDF)", href=s.statement_url, id="statement-link",
                 aria_label="Download statement (PDF) for " + s.statement_label),
        spacing="2", width="100%", id="statement",
    )


@template(route=routes.PRO_EARNINGS, title="Earnings", on_load=ProEarningsState.load)
def pro_earnings() -> rx.Component:
    s = ProEarningsState
    return rx.cond(s.loaded, rx.vstack(
        rx.heading("Earnings", size="7"),
        rx.text("Payouts go to your bank every week, for work up to Sunday night. A job counts once its "
                "customer has paid.", size="2", color_scheme="gray"),
        rx.box(
            _total("Paid out", s.paid_out, "Sent to your bank so far.", "paid-out"),
            _total("Ready for next payout", s.ready, "Paid by customers, not yet sent to you.", "ready"),
            _total("Pending", s.pending, "Your share of finished jobs the customer has not paid yet.", "pending"),
            rx.cond(s.owes_cash, _total("Cash you collected (owed to HomeServe)", s.cash_owed,
                                        "HomeServe's commission and the GST from cash jobs; it is taken from "
                                        "your next earnings.", "cash-owed")),
            class_name="kpi-grid",
        ),
        _statement(),
        rx.heading("Recent payouts", size="5", as_="h2"),
        rx.cond(s.payouts.length() > 0, rx.vstack(rx.foreach(s.payouts, lambda p: rx.card(rx.vstack(
            rx.hstack(rx.text(p.amount, weight="bold"), rx.text(p.when, size="2", color_scheme="gray"),
                      justify="between", width="100%", wrap="wrap"),
            rx.text("Work up to ", p.period, " · reference ", rx.text.span(p.reference, class_name="wrap-anywhere"),
                    size="2"),
            spacing="1"), width="100%")), width="100%", id="payout-list"),
            rx.text("No payouts yet.", size="2", id="no-payouts")),
        spacing="4", width="100%", id="pro-earnings-page",
    ), rx.spinner(size="3"))
