"""HTML of the hosted checkout: what the customer's browser sees on the gateway's side.

Why plain server-rendered HTML with inline CSS and no JavaScript for paying: the page must work in any
browser test (and on a 375 px phone) without loading anything from the internet, and a real person
demoing the app must be able to pick "success" or "decline" deliberately. The only script is the
one-line auto-submit of the callback form, which also has a visible button for browsers without JS.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass, replace
from html import escape
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hsa.testgateway.store import BANKS, SUCCESSFUL, ApiError, method_details

if TYPE_CHECKING:
    from hsa.testgateway.app import Gateway

METHODS = {"upi": "UPI", "card": "Card", "netbanking": "Netbanking"}
TEST_CARD = "4111 1111 1111 1111"

_CSS = """
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#eef1f6;
overflow-wrap:anywhere}
.banner{margin:0;background:#fff4d6;color:#5c3b00;border-bottom:2px solid #b7791f;padding:.6rem 1rem;
text-align:center}
main{max-width:28rem;margin:1rem auto;padding:1.25rem;background:#fff;border-radius:12px;
box-shadow:0 1px 4px rgba(0,0,0,.15)}
@media (max-width:30rem){main{margin:0;border-radius:0;box-shadow:none}}
h1{font-size:1.4rem;line-height:1.3;margin:0 0 .25rem}
.desc{margin:0 0 .75rem;color:#374151}
.amount{margin:0 0 1rem;font-size:1rem}.amount strong{display:block;font-size:1.75rem}
fieldset{border:1px solid #6b7280;border-radius:8px;margin:0 0 1rem;padding:.5rem 1rem 1rem;min-width:0}
legend{font-weight:600;padding:0 .25rem}
.opt{display:flex;align-items:center;gap:.6rem;min-height:48px}
.opt input{width:1.25rem;height:44px;margin:0;flex:none}
.opt label{flex:1;margin:0;padding:.6rem 0;cursor:pointer}
label{display:block;font-weight:500;margin:.6rem 0 .25rem}
input[type=text],input[type=email],select{display:block;width:100%;font-size:16px;padding:.6rem .75rem;
min-height:44px;border:1px solid #6b7280;border-radius:6px;background:#fff;color:#1a1a1a}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.row{display:flex;gap:.75rem}.row>div{flex:1;min-width:0}
.hint{font-size:.9rem;color:#4b5563;margin:.35rem 0 0}
button{display:block;width:100%;min-height:48px;font:inherit;font-size:1.05rem;font-weight:600;border-radius:8px;
border:2px solid transparent;cursor:pointer;margin:.6rem 0}
.pay{background:#0b5cad;color:#fff}.pay:hover{background:#094a8c}
.fail{background:#fff;color:#9b1c1c;border-color:#9b1c1c}
.error{background:#fde8e8;color:#7f1d1d;border:1px solid #e5a3a3;border-radius:8px;padding:.75rem;margin:0 0 1rem}
a{color:#0b5cad}.back{display:inline-block;min-height:44px;padding:.6rem 0}
@supports selector(:has(*)){.pm{display:none}
form:has(#m-upi:checked) .pm-upi,form:has(#m-card:checked) .pm-card,
form:has(#m-netbanking:checked) .pm-netbanking{display:block}}
"""


@dataclass(frozen=True)
class CheckoutView:
    """Everything the checkout form shows and carries to the submit step (as hidden fields)."""

    key_id: str
    order_id: str
    amount: int
    currency: str
    merchant: str
    description: str
    callback_url: str
    cancel_url: str = ""
    prefill_name: str = ""
    prefill_email: str = ""
    prefill_contact: str = ""
    method: str = "upi"
    vpa: str = "success@razorpay"
    card_number: str = TEST_CARD
    card_expiry: str = "12/30"
    card_cvv: str = "123"
    card_name: str = ""
    bank: str = "HDFC"
    error: str = ""

    def carried(self) -> dict[str, str]:
        """The checkout parameters, named as the merchant's form posted them."""
        return {"key_id": self.key_id, "order_id": self.order_id, "amount": str(self.amount),
                "currency": self.currency, "name": self.merchant, "description": self.description,
                "callback_url": self.callback_url, "cancel_url": self.cancel_url,
                "prefill[name]": self.prefill_name, "prefill[email]": self.prefill_email,
                "prefill[contact]": self.prefill_contact}

    def typed(self) -> dict[str, str]:
        """What the customer entered (and the merchant prefilled), for building the payment."""
        return {"description": self.description, "email": self.prefill_email, "contact": self.prefill_contact,
                "vpa": self.vpa, "card_number": self.card_number, "card_expiry": self.card_expiry,
                "card_cvv": self.card_cvv, "card_name": self.card_name or self.prefill_name, "bank": self.bank}


def format_inr(paise: int) -> str:
    """₹ with Indian digit grouping: 12345678 paise -> "₹1,23,456.78"."""
    rupees, rest = divmod(abs(paise), 100)
    digits = str(rupees)
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while head:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return f"{'-' if paise < 0 else ''}₹{','.join([*groups, tail])}.{rest:02d}"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _hidden(fields: dict[str, str]) -> str:
    return "".join(f'<input type="hidden" name="{_e(k)}" value="{_e(v)}">' for k, v in fields.items())


def _page(title: str, body: str, merchant: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{_e(title)} · {_e(merchant)} (test mode)</title>'
        f"<style>{_CSS}</style></head><body>"
        '<p class="banner" role="note"><strong>TEST MODE</strong> — a simulated payment gateway; '
        "no real money moves.</p>"
        f"<main>{body}</main></body></html>"
    )


def _field(ident: str, name: str, label: str, value: str, *, mode: str = "text", auto: str = "off",
           hint: str = "") -> str:
    hint_html = f'<p class="hint" id="{ident}-hint">{_e(hint)}</p>' if hint else ""
    described = f' aria-describedby="{ident}-hint"' if hint else ""
    return (f'<label for="{ident}">{_e(label)}</label><input type="text" id="{ident}" name="{_e(name)}" '
            f'value="{_e(value)}" inputmode="{mode}" autocomplete="{auto}" spellcheck="false"{described}>'
            f"{hint_html}")


def checkout_page(view: CheckoutView) -> str:
    """The payment form: method choice, prefilled test credentials, a pay and a decline button."""
    amount = format_inr(view.amount)
    options = "".join(
        f'<div class="opt"><input type="radio" id="m-{m}" name="method" value="{m}"'
        f'{" checked" if m == view.method else ""}><label for="m-{m}">{label}</label></div>'
        for m, label in METHODS.items()
    )
    banks = "".join(f'<option value="{code}"{" selected" if code == view.bank else ""}>{_e(name)}</option>'
                    for code, name in BANKS.items())
    error = f'<div class="error" role="alert">{_e(view.error)}</div>' if view.error else ""
    cancel = (f'<p><a class="back" href="{_e(view.cancel_url)}">Cancel and go back</a></p>'
              if view.cancel_url else "")
    body = (
        f"<h1>{_e(view.merchant)}</h1>"
        + (f'<p class="desc">{_e(view.description)}</p>' if view.description else "")
        + f'<p class="amount">Amount to pay <strong>{amount}</strong></p>{error}'
        '<form method="post" action="/v1/checkout/embedded/submit">'
        + _hidden(view.carried())
        + f"<fieldset><legend>Payment method</legend>{options}</fieldset>"
        '<fieldset class="pm pm-upi"><legend>UPI</legend>'
        + _field("vpa", "vpa", "UPI ID", view.vpa, mode="email",
                 hint="Test mode: success@razorpay pays, failure@razorpay is declined.")
        + '</fieldset><fieldset class="pm pm-card"><legend>Card</legend>'
        + _field("card-number", "card[number]", "Card number", view.card_number, mode="numeric",
                 auto="cc-number", hint=f"Test card: {TEST_CARD}, any future expiry, any CVV.")
        + '<div class="row"><div>'
        + _field("card-expiry", "card[expiry]", "Expiry (MM/YY)", view.card_expiry, mode="numeric", auto="cc-exp")
        + "</div><div>"
        + _field("card-cvv", "card[cvv]", "CVV", view.card_cvv, mode="numeric", auto="cc-csc")
        + "</div></div>"
        + _field("card-name", "card[name]", "Name on card (optional)", view.card_name, auto="cc-name")
        + '</fieldset><fieldset class="pm pm-netbanking"><legend>Netbanking</legend>'
        f'<label for="bank">Bank</label><select id="bank" name="bank">{banks}</select></fieldset>'
        f'<button type="submit" class="pay" name="outcome" value="success">Pay {amount}</button>'
        '<button type="submit" class="fail" name="outcome" value="failure">Fail payment</button>'
        f"</form>{cancel}"
    )
    return _page(f"Pay {amount}", body, view.merchant)


def callback_page(callback_url: str, fields: dict[str, str], *, merchant: str, succeeded: bool) -> str:
    """Hands the result back to the merchant: a form POSTed to callback_url, submitted automatically."""
    title = "Payment successful" if succeeded else "Payment failed"
    body = (
        f"<h1>{title}</h1><p>Taking you back to {_e(merchant)}…</p>"
        f'<form id="callback" method="post" action="{_e(callback_url)}">{_hidden(fields)}'
        f'<button type="submit" class="pay">Return to {_e(merchant)}</button></form>'
        '<script>document.getElementById("callback").submit();</script>'
    )
    return _page(title, body, merchant)


def already_paid_page(view: CheckoutView, fields: dict[str, str] | None) -> str:
    """Shown instead of the form once the order has its payment: nothing here can charge again."""
    back = ""
    if fields is not None and view.callback_url:
        back = (f'<form method="post" action="{_e(view.callback_url)}">{_hidden(fields)}'
                f'<button type="submit" class="pay">Return to {_e(view.merchant)}</button></form>')
    body = (f"<h1>This order is already paid</h1><p>{format_inr(view.amount)} was already paid for this order "
            f"({_e(view.order_id)}); you will not be charged again.</p>{back}")
    return _page("Already paid", body, view.merchant)


def error_page(title: str, message: str, merchant: str = "Payment") -> str:
    """A checkout that cannot be shown (unknown key, unknown order, bad callback URL)."""
    return _page(title, f"<h1>{_e(title)}</h1><p>{_e(message)}</p>", merchant)


# -- the checkout flow --------------------------------------------------------------------------------
def payment_signature(key_secret: str, order_id: str, payment_id: str) -> str:
    """razorpay_signature: what `razorpay.Client.utility.verify_payment_signature` recomputes."""
    return hmac.new(key_secret.encode(), f"{order_id}|{payment_id}".encode(), hashlib.sha256).hexdigest()


def _http_url(url: str) -> bool:
    return re.match(r"https?://[^\s<>\"']+$", url) is not None


def checkout_router(gw: Gateway) -> APIRouter:
    """Hosted checkout: the merchant's page posts the customer here; we post the result to callback_url."""
    config, store = gw.config, gw.store
    router = APIRouter(prefix="/v1/checkout")

    def fail(title: str, message: str) -> HTMLResponse:
        return HTMLResponse(error_page(title, message, config.merchant_name), status_code=400)

    def view_of(p: dict[str, str]) -> CheckoutView | HTMLResponse:
        if not hmac.compare_digest(p.get("key_id", "").encode(), config.key_id.encode()):
            return fail("Invalid key", "The key_id sent by the merchant is not a key of this gateway.")
        try:
            order = store.fetch("order", p.get("order_id", ""))
        except ApiError:
            return fail("Unknown order", "The order_id sent by the merchant does not exist.")
        if p.get("amount", str(order["amount"])) != str(order["amount"]):
            return fail("Amount mismatch", "The amount does not match the order's amount.")
        if p.get("currency", order["currency"]) != order["currency"]:
            return fail("Currency mismatch", "The currency does not match the order's currency.")
        if not _http_url(p.get("callback_url", "")) or (p.get("cancel_url") and not _http_url(p["cancel_url"])):
            return fail("Invalid callback URL", "callback_url (and cancel_url, if given) must be http(s) URLs.")
        typed = {k: p[f] for k, f in (("method", "method"), ("vpa", "vpa"), ("card_number", "card[number]"),
                 ("card_expiry", "card[expiry]"), ("card_cvv", "card[cvv]"), ("card_name", "card[name]"),
                 ("bank", "bank")) if f in p}
        return CheckoutView(
            key_id=config.key_id, order_id=order["id"], amount=order["amount"], currency=order["currency"],
            merchant=p.get("name") or config.merchant_name, description=p.get("description", ""),
            callback_url=p["callback_url"], cancel_url=p.get("cancel_url", ""),
            prefill_name=p.get("prefill[name]", ""), prefill_email=p.get("prefill[email]", ""),
            prefill_contact=p.get("prefill[contact]", ""), **typed)

    async def params(request: Request) -> dict[str, str]:
        found = dict(request.query_params)
        if request.method == "POST":
            found.update({k: v for k, v in (await request.form()).items() if isinstance(v, str)})
        return found

    def success_fields(payment: dict[str, Any]) -> dict[str, str]:
        return {"razorpay_payment_id": payment["id"], "razorpay_order_id": payment["order_id"],
                "razorpay_signature": payment_signature(config.key_secret, payment["order_id"], payment["id"])}

    @router.api_route("/embedded", methods=["GET", "POST"], response_class=HTMLResponse)
    async def embedded(request: Request) -> HTMLResponse:
        view = view_of(await params(request))
        if isinstance(view, HTMLResponse):
            return view
        paid = store.successful_payment(view.order_id)
        if paid is not None:
            return HTMLResponse(already_paid_page(view, success_fields(paid)))
        return HTMLResponse(checkout_page(view))

    @router.post("/embedded/submit", response_class=HTMLResponse)
    async def submit(request: Request) -> HTMLResponse:
        form = await params(request)
        view = view_of(form)
        if isinstance(view, HTMLResponse):
            return view
        outcome = form.get("outcome")
        try:
            if outcome not in ("success", "failure"):
                raise ValueError("Choose Pay or Fail payment.")
            details, declined = method_details(view.method, view.typed())
        except ValueError as exc:
            paid = store.successful_payment(view.order_id)
            if paid is not None:  # a stale tab of a paid order: say so rather than ask to fix the input
                return HTMLResponse(already_paid_page(view, success_fields(paid)))
            return HTMLResponse(checkout_page(replace(view, error=str(exc))), status_code=400)
        payment, _ = store.attempt(view.order_id, succeed=outcome == "success" and not declined,
                                   method=view.method, details=details)
        if payment["status"] in SUCCESSFUL:
            fields, succeeded = success_fields(payment), True
        else:
            fields, succeeded = {
                "error[code]": payment["error_code"], "error[description]": payment["error_description"],
                "error[source]": "customer", "error[step]": "payment_authorization",
                "error[reason]": "payment_failed",
                "error[metadata]": json.dumps({"payment_id": payment["id"], "order_id": payment["order_id"]}),
            }, False
        return HTMLResponse(callback_page(view.callback_url, fields, merchant=view.merchant, succeeded=succeeded))

    return router
