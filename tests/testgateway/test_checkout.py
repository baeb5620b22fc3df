"""Hosted checkout as a browser without JavaScript drives it: the page, both buttons, the callback form."""

from __future__ import annotations

import json
import re
import threading

import pytest
import razorpay
import requests

from hsa.testgateway import RunningGateway, format_inr
from tests.testgateway.support import new_order, open_checkout, parse, pay

CALLBACK = "http://app.test/payments/callback"


def test_indian_rupee_formatting() -> None:
    assert [format_inr(p) for p in (5, 100, 123456, 12345678, 1234567890)] == [
        "₹0.05", "₹1.00", "₹1,234.56", "₹1,23,456.78", "₹1,23,45,678.90"]


@pytest.mark.parametrize("verb", ["post", "get"])
def test_checkout_page_shows_amount_methods_and_labelled_inputs(gateway: RunningGateway, client: razorpay.Client,
                                                                verb: str) -> None:
    order = new_order(client, 123456)
    if verb == "post":
        page = open_checkout(gateway, order)
    else:
        page = requests.get(gateway.checkout_url, timeout=5, params={
            "key_id": gateway.config.key_id, "order_id": order["id"], "description": "Deep cleaning, 2 BHK",
            "callback_url": CALLBACK, "cancel_url": "http://app.test/booking/42"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="en">' in html and html.count("<h1>") == 1 and "TEST MODE" in html
    assert 'name="viewport"' in html and "<h1>HomeServe</h1>" in html and "Deep cleaning, 2 BHK" in html
    assert not re.search(r'(src|href)="(?!http://app\.test/booking/42")', html), "no external assets"
    doc = parse(html)
    labels = {k: v.strip() for k, v in doc.labels.items()}
    assert {labels[c["id"]] for c in doc.controls} >= {"UPI", "Card", "Netbanking", "UPI ID", "Card number",
                                                       "Expiry (MM/YY)", "CVV", "Bank"}
    assert all(c.get("id") in labels for c in doc.controls), "every visible control has a <label for>"
    form = doc.forms[0]
    assert (form.method, form.action) == ("post", "/v1/checkout/embedded/submit")
    assert form.fields["method"] == "upi" and form.fields["vpa"] == "success@razorpay"
    assert form.fields["card[number]"] == "4111 1111 1111 1111"
    assert form.fields["order_id"] == order["id"] and form.fields["callback_url"] == CALLBACK
    assert form.buttons == [("outcome", "success", "Pay ₹1,234.56"), ("outcome", "failure", "Fail payment")]
    assert '<a class="back" href="http://app.test/booking/42">Cancel and go back</a>' in html
    assert "<fieldset><legend>Payment method</legend>" in html
    assert "min-height:48px" in html and "font-size:16px" in html


def test_merchant_text_is_escaped(gateway: RunningGateway, client: razorpay.Client) -> None:
    page = open_checkout(gateway, new_order(client), description='<script>alert("x")</script>', name="A&B <Co>")
    assert page.status_code == 200 and "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page.text
    assert "<h1>A&amp;B &lt;Co&gt;</h1>" in page.text


@pytest.mark.parametrize(("change", "title"), [
    ({"key_id": "rzp_test_someone_else"}, "Invalid key"),
    ({"order_id": "order_AAAAAAAAAAAAAA"}, "Unknown order"),
    ({"amount": "100"}, "Amount mismatch"),
    ({"callback_url": "javascript:alert(1)"}, "Invalid callback URL"),
])
def test_checkout_refuses_bad_requests(gateway: RunningGateway, client: razorpay.Client,
                                       change: dict, title: str) -> None:
    page = open_checkout(gateway, new_order(client), **change)
    assert page.status_code == 400 and f"<h1>{title}</h1>" in page.text and "<form" not in page.text


def test_success_posts_a_verifiable_signature_and_the_order_is_paid(gateway: RunningGateway,
                                                                   client: razorpay.Client) -> None:
    order = new_order(client, 123456, receipt="booking-5")
    callback = pay(gateway, order)
    assert (callback.method, callback.action) == ("post", CALLBACK)
    assert set(callback.fields) == {"razorpay_payment_id", "razorpay_order_id", "razorpay_signature"}
    assert callback.fields["razorpay_order_id"] == order["id"]
    assert client.utility.verify_payment_signature(dict(callback.fields)) is True
    assert callback.buttons == [("", "", "Return to HomeServe")]  # the no-JS fallback
    payment = client.payment.fetch(callback.fields["razorpay_payment_id"])
    assert {k: payment[k] for k in ("status", "captured", "amount", "currency", "order_id", "method", "vpa",
                                    "email", "contact", "description", "amount_refunded", "refund_status")} == {
        "status": "captured", "captured": True, "amount": 123456, "currency": "INR", "order_id": order["id"],
        "method": "upi", "vpa": "success@razorpay", "email": "asha@example.com", "contact": "+919812345678",
        "description": "Deep cleaning, 2 BHK", "amount_refunded": 0, "refund_status": None}
    paid = client.order.fetch(order["id"])
    assert (paid["status"], paid["amount_paid"], paid["amount_due"], paid["attempts"]) == ("paid", 123456, 0, 1)


def test_card_and_netbanking_payments_carry_their_details(gateway: RunningGateway, client: razorpay.Client) -> None:
    card_pay = pay(gateway, new_order(client), method="card").fields["razorpay_payment_id"]
    card = client.payment.fetch(card_pay)
    assert (card["method"], card["card"]["last4"], card["card"]["network"]) == ("card", "1111", "Visa")
    bank_pay = pay(gateway, new_order(client), method="netbanking", bank="SBIN").fields["razorpay_payment_id"]
    assert (client.payment.fetch(bank_pay)["method"], client.payment.fetch(bank_pay)["bank"]) == ("netbanking", "SBIN")


def test_double_submit_never_makes_a_second_payment(gateway: RunningGateway, client: razorpay.Client) -> None:
    order = new_order(client)
    form = parse(open_checkout(gateway, order).text).forms[0]
    data = {**form.fields, "outcome": "success"}
    first = requests.post(gateway.base_url + form.action, data=data, timeout=5)
    second = requests.post(gateway.base_url + form.action, data=data, timeout=5)
    failed_after = requests.post(gateway.base_url + form.action, data={**data, "outcome": "failure"}, timeout=5)
    fields = [parse(r.text).forms[0].fields for r in (first, second, failed_after)]
    assert fields[0]["razorpay_payment_id"] == fields[1]["razorpay_payment_id"] == fields[2]["razorpay_payment_id"]
    payments = client.order.payments(order["id"])
    assert payments["count"] == 1 and payments["items"][0]["status"] == "captured"
    again = open_checkout(gateway, order)
    assert again.status_code == 200 and "This order is already paid" in again.text and "Pay ₹" not in again.text
    assert parse(again.text).forms[0].fields == fields[0]  # its button returns the same signed result


def test_concurrent_submits_make_one_payment(gateway: RunningGateway, client: razorpay.Client) -> None:
    order = new_order(client)
    form = parse(open_checkout(gateway, order).text).forms[0]
    ids: list[str] = []

    def submit() -> None:
        answer = requests.post(gateway.base_url + form.action, data={**form.fields, "outcome": "success"}, timeout=5)
        ids.append(parse(answer.text).forms[0].fields["razorpay_payment_id"])

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(ids) == 8 and len(set(ids)) == 1
    assert client.order.payments(order["id"])["count"] == 1


def test_failure_posts_error_fields_and_the_order_can_still_be_paid(gateway: RunningGateway,
                                                                   client: razorpay.Client) -> None:
    order = new_order(client, 5000)
    callback = pay(gateway, order, "failure")
    assert callback.action == CALLBACK
    meta = json.loads(callback.fields.pop("error[metadata]"))
    assert callback.fields == {"error[code]": "BAD_REQUEST_ERROR",
                               "error[description]": "Your payment was declined by the bank (test mode).",
                               "error[source]": "customer", "error[step]": "payment_authorization",
                               "error[reason]": "payment_failed"}
    assert meta["order_id"] == order["id"]
    failed = client.payment.fetch(meta["payment_id"])
    assert (failed["status"], failed["captured"], failed["error_code"], failed["error_reason"]) == (
        "failed", False, "BAD_REQUEST_ERROR", "payment_failed")
    attempted = client.order.fetch(order["id"])
    assert (attempted["status"], attempted["attempts"], attempted["amount_paid"]) == ("attempted", 1, 0)
    retry = pay(gateway, order)
    assert client.utility.verify_payment_signature(dict(retry.fields))
    assert client.order.fetch(order["id"])["status"] == "paid"
    assert client.order.payments(order["id"])["count"] == 2


def test_declining_test_credentials_and_invalid_input(gateway: RunningGateway, client: razorpay.Client) -> None:
    order = new_order(client)
    declined = pay(gateway, order, "success", vpa="failure@razorpay")
    assert declined.fields["error[reason]"] == "payment_failed"
    form = parse(open_checkout(gateway, order).text).forms[0]
    bad = requests.post(gateway.base_url + form.action, timeout=5,
                        data={**form.fields, "method": "card", "card[number]": "1234", "outcome": "success"})
    assert bad.status_code == 400 and 'role="alert"' in bad.text and "valid card number" in bad.text
    assert parse(bad.text).forms[0].fields["card[number]"] == "1234"  # what was typed is kept
    assert client.order.payments(order["id"])["count"] == 1  # only the declined one
