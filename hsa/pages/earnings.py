"""The professional's earnings: paid out, ready for the next weekly payout, waiting for customers,
and cash they hold for HomeServe; then the recent payouts with the reference their bank shows."""

import reflex as rx

from hsa import routes
from hsa.components.layout import template
from hsa.state.earnings import ProEarningsState


def _total(label: str, value: rx.Var, hint: str, total_id: str) -> rx.Component:
    """One labelled figure; the hint says what it counts (the label alone is ambiguous)."""
    return rx.card(rx.vstack(
        rx.text(label, size="2", color_scheme="gray"),
        rx.heading(value, size="6", id=total_id),
        rx.text(hint, size="1", color_scheme="gray"),
        spacing="1"), width="100%")


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
