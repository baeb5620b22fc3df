"""A booking card's money: the bill, what was paid or refunded, and "Pay ₹X online"."""

from __future__ import annotations

from typing import Any

import reflex as rx

from hsa.components.forms import TAP, form
from hsa.components.requests import hidden


def bill_table(r: rx.Var) -> rx.Component:
    """The bill's lines (base, own price, extras, platform fee, GST, total) as a small list."""
    return rx.cond(r.bill.length() > 0, rx.el.dl(
        rx.foreach(r.bill, lambda line: rx.el.div(
            rx.el.dt(line.label), rx.el.dd(line.amount), class_name="bill-line")),
        class_name="bill", id="bill-" + r.id.to_string(), aria_label="Price breakdown"))


def pdf_link(*children: rx.Component | rx.Var | str, href: rx.Var | str, aria_label: rx.Var | str,
             **props: Any) -> rx.Component:
    """A PDF download (invoice, statement): a 44 px tap target named for screen readers. rx.el.a
    is React Router's Link: `reload_document` lets the browser fetch the URL itself (the PDF comes
    from /api/v1, not a page), `download` saves it instead of navigating."""
    return rx.el.a(*children, href=href, download="", reload_document=True, aria_label=aria_label, min_height=TAP,
                   display="inline-flex", align_items="center", color="var(--accent-11)",
                   text_decoration="underline", **props)


def invoice_links(r: rx.Var) -> rx.Component:
    """"Invoice HS/2026-27/000001 (PDF)" per tax invoice."""
    return rx.foreach(r.invoices, lambda inv: pdf_link(
        "Invoice ", inv.number, " (PDF)", href=inv.url, class_name="invoice-link",
        aria_label="Download tax invoice " + inv.number + " (PDF)"))


def money_panel(r: rx.Var, state: Any = None) -> rx.Component:
    """Paid / owed / refunded, and (given the customer's page state) the online payment button."""
    rid = r.id.to_string()
    pay = rx.fragment() if state is None else rx.cond(r.can_pay, form(
        hidden("request_id", r.id),
        rx.button("Pay ", r.balance, " online", type="submit", size="3", min_height=TAP, color_scheme="green",
                  loading=state.busy, id="btn-pay-online-" + rid),
        on_submit=state.pay_online, name="pay-online", busy=state.busy))
    return rx.vstack(
        bill_table(r),
        rx.cond(r.paid_amount != "", rx.text("Paid ", rx.text.strong(r.paid_amount),
                                             rx.cond(r.payment_method != "", " · " + r.payment_method.upper(), ""),
                                             size="2", color_scheme="green", id="paid-" + rid)),
        rx.cond(r.earns != "", rx.text(r.earns, size="2", id="earns-" + rid)),
        rx.cond(r.refund_note != "", rx.text(r.refund_note, size="2", color_scheme="blue", id="refund-" + rid)),
        invoice_links(r),
        rx.cond(r.balance != "", rx.text("Balance due: ", rx.text.strong(r.balance), size="2", id="balance-" + rid)),
        rx.cond(r.payment_error != "", rx.callout(
            rx.text("Last attempt failed: ", r.payment_error, " You can try again."),
            icon="circle-alert", color_scheme="red", size="1", id="payment-error-" + rid)),
        pay,
        spacing="1", align="start", width="100%",
    )
