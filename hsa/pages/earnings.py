"""The professional's earnings: paid out, ready for the next weekly payout, waiting for customers,
and cash they hold for HomeServe; then a monthly statement (PDF) and the recent payouts with the
reference their bank shows."""

import reflex as rx

from hsa import routes
from hsa.components.forms import select_field
from hsa.components.layout import template
from hsa.components.payment import pdf_link
from hsa.state.earnings import ProEarningsState
from hsa.state.locale import t, tf

_NO_ERRORS: rx.Var = rx.Var.create({})


def _total(label: str, value: rx.Var, hint: str, total_id: str) -> rx.Component:
    """One labelled figure; the hint says what it counts (the label alone is ambiguous). `label`
    and `hint` are catalog keys."""
    return rx.card(rx.vstack(
        rx.text(t(label), size="2", color_scheme="gray"),
        rx.heading(value, size="6", id=total_id),
        rx.text(t(hint), size="1", color_scheme="gray"),
        spacing="1"), width="100%")


def _statement() -> rx.Component:
    """Pick a month, download its PDF: a native select (the phone's own picker) and a link whose
    signed URL the state swapped in for that month; not a form, nothing is submitted."""
    s = ProEarningsState
    return rx.vstack(
        rx.heading(t("earnings.statement_heading"), size="5", as_="h2"),
        rx.text(t("earnings.statement_intro"), size="2", color_scheme="gray"),
        rx.box(select_field(t("earnings.statement_month"), "month", _NO_ERRORS, s.months, placeholder=None,
                            value=s.month, required=False, field_id="statement-month", on_change=s.choose_month),
               max_width="20rem", width="100%"),
        pdf_link(t("earnings.download"), href=s.statement_url, id="statement-link",
                 aria_label=tf("earnings.download_for", month=s.statement_label)),
        spacing="2", width="100%", id="statement",
    )


@template(route=routes.PRO_EARNINGS, title="earnings.title", on_load=ProEarningsState.load)
def pro_earnings() -> rx.Component:
    s = ProEarningsState
    return rx.cond(s.loaded, rx.vstack(
        rx.heading(t("earnings.title"), size="7"),
        rx.text(t("earnings.intro"), size="2", color_scheme="gray"),
        rx.box(
            _total("earnings.paid_out", s.paid_out, "earnings.paid_out_hint", "paid-out"),
            _total("earnings.ready", s.ready, "earnings.ready_hint", "ready"),
            _total("earnings.pending", s.pending, "earnings.pending_hint", "pending"),
            rx.cond(s.owes_cash, _total("earnings.cash_owed", s.cash_owed, "earnings.cash_owed_hint", "cash-owed")),
            class_name="kpi-grid",
        ),
        _statement(),
        rx.heading(t("earnings.recent"), size="5", as_="h2"),
        rx.cond(s.payouts.length() > 0, rx.vstack(rx.foreach(s.payouts, lambda p: rx.card(rx.vstack(
            rx.hstack(rx.text(p.amount, weight="bold"), rx.text(p.when, size="2", color_scheme="gray"),
                      justify="between", width="100%", wrap="wrap"),
            rx.text(tf("earnings.work_up_to", period=p.period), t("earnings.reference"),
                    rx.text.span(p.reference, class_name="wrap-anywhere"), size="2"),
            spacing="1"), width="100%")), width="100%", id="payout-list"),
            rx.text(t("earnings.no_payouts"), size="2", id="no-payouts")),
        spacing="4", width="100%", id="pro-earnings-page",
    ), rx.spinner(size="3"))
