"""A booking card's money: the bill, what was paid or refunded, and "Pay ₹X online"."""

from __future__ import annotations

from typing import Any

import reflex as rx

from hsa.components.forms import TAP, form
from hsa.components.requests import hidden, with_strong
from hsa.state.locale import t, tf


def bill_table(r: rx.Var) -> rx.Component:
    """The bill's lines (base, own price, extras, platform fee, GST, total) as a small list."""
    return rx.cond(r.bill.length() > 0, rx.el.dl(
        rx.foreach(r.bill, lambda line: rx.el.div(
            rx.el.dt(line.label), rx.el.dd(line.amount), class_name="bill-line")),
        class_name="bill", id="bill-" + r.id.to_string(), aria_label=t("booking.price_breakdown")))


def pdf_link(*children: rx.Component | rx.Var | str, href: rx.Var | str, aria_label: rx.Var | str,
             **props: Any) -> rx.Component:
    """A PDF download (invoice, statement): a 44 px tap target named for screen readers. rx.el.a
    is React Router's Link: `reload_document` lets the browser fetch the URL itself (the PDF comes
    from /api/v1, not a page), `download` saves it instead of navigating. Children and
    `aria_label` are Vars (`t(...)`, `tf(...)`) or strings."""
    return rx.el.a(*children, href=href, download="", reload_document=True, aria_label=aria_label, min_height=TAP,
                   display="inline-flex", align_items="center", color="var(--accent-11)",
                   text_decoration="underline", **props)


def invoice_links(r: rx.Var) -> rx.Component:
    """"Invoice HS/2026-27/000001 (PDF)" per tax invoice."""
    return rx.foreach(r.invoices, lambda inv: pdf_link(
        tf("booking.invoice_pdf", number=inv.number), href=inv.url, class_name="invoice-link",
        aria_label=tf("booking.invoice_download", number=inv.number)))


def _method(method: rx.Var) -> rx.Component:
    """How it was paid, as the card has always shown it ("UPI", "CASH"), in the tab's language."""
    return rx.match(
        method,
        ("cash", t("booking.method_cash")), ("card", t("booking.method_card")),
        ("netbanking", t("booking.method_netbanking")), ("online", t("booking.method_online")),
        method.upper(),
    )


def money_panel(r: rx.Var, state: Any = None) -> rx.Component:
    """Paid / owed / refunded, and (given the customer's page state) the online payment button."""
    rid = r.id.to_string()
    pay = rx.fragment() if state is None else rx.cond(r.can_pay, form(
        hidden("request_id", r.id),
        rx.button(tf("booking.pay_online", amount=r.balance), type="submit", size="3", min_height=TAP,
                  color_scheme="green", loading=state.busy, id="btn-pay-online-" + rid),
        on_submit=state.pay_online, name="pay-online", busy=state.busy))
    return rx.vstack(
        bill_table(r),
        rx.cond(r.paid_amount != "", rx.text(
            *with_strong("booking.paid", "amount", r.paid_amount),
            rx.cond(r.payment_method != "", rx.fragment(" · ", _method(r.payment_method))),
            size="2", color_scheme="green", id="paid-" + rid)),
        rx.cond(r.earns != "", rx.text(r.earns, size="2", id="earns-" + rid)),
        rx.cond(r.refund_note != "", rx.text(r.refund_note, size="2", color_scheme="blue", id="refund-" + rid)),
        invoice_links(r),
        rx.cond(r.balance != "", rx.text(*with_strong("booking.balance_due", "amount", r.balance), size="2",
                                         id="balance-" + rid)),
        rx.cond(r.payment_error != "", rx.callout(
            rx.text(tf("booking.payment_failed", error=r.payment_error)),
            icon="circle-alert", color_scheme="red", size="1", id="payment-error-" + rid)),
        pay,
        spacing="1", align="start", width="100%",
    )
