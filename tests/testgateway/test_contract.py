"""The /v1 API through the official Razorpay SDK: orders, capture, refunds, auth and error shapes."""

from __future__ import annotations

import json
import re
import threading
import time

import pytest
import razorpay
import requests
from razorpay.errors import BadRequestError

from hsa.testgateway import RunningGateway
from tests.testgateway.support import new_order, pay

ID = re.compile(r"(order|pay|rfnd)_[A-Za-z0-9]{14}")


def test_order_create_fetch_and_list_by_receipt(client: razorpay.Client) -> None:
    order = new_order(client, 50000, receipt="booking-17", notes={"booking_id": "17"})
    assert ID.fullmatch(order["id"]) and order["id"].startswith("order_")
    assert {k: order[k] for k in ("entity", "amount", "amount_paid", "amount_due", "currency", "receipt",
                                  "status", "attempts", "notes")} == {
        "entity": "order", "amount": 50000, "amount_paid": 0, "amount_due": 50000, "currency": "INR",
        "receipt": "booking-17", "status": "created", "attempts": 0, "notes": {"booking_id": "17"}}
    assert abs(order["created_at"] - time.time()) < 5
    assert client.order.fetch(order["id"]) == order
    new_order(client, 700, receipt="other")
    listed = client.order.all({"receipt": "booking-17"})
    assert listed["entity"] == "collection" and listed["count"] == 1 and listed["items"] == [order]
    assert client.order.all()["count"] == 2
    assert client.order.payments(order["id"]) == {"entity": "collection", "count": 0, "items": []}


def test_unique_receipt_returns_the_existing_order(client: razorpay.Client) -> None:
    first = new_order(client, 1000, receipt="booking-9", unique_receipt=True)
    again = new_order(client, 1000, receipt="booking-9", unique_receipt=True)
    assert again == first
    assert client.order.all({"receipt": "booking-9"})["count"] == 1
    with pytest.raises(BadRequestError, match="different amount"):
        new_order(client, 2000, receipt="booking-9", unique_receipt=True)
    assert new_order(client, 1000, receipt="booking-9")["id"] != first["id"]  # without the flag: a new order


def test_wrong_credentials_are_refused(gateway: RunningGateway, client: razorpay.Client) -> None:
    order = new_order(client)
    wrong = razorpay.Client(auth=(gateway.config.key_id, "not-the-secret"), base_url=gateway.base_url)
    with pytest.raises(BadRequestError, match="Authentication failed"):
        wrong.order.fetch(order["id"])
    raw = requests.get(f"{gateway.base_url}/v1/orders/{order['id']}", timeout=5)
    assert raw.status_code == 401
    assert raw.json() == {"error": {"code": "BAD_REQUEST_ERROR", "source": "NA", "step": "NA", "reason": "NA",
                                    "metadata": {},
                                    "description": "Please provide your api key for authentication purposes."}}


@pytest.mark.parametrize(("body", "message"), [
    ({"amount": 99, "currency": "INR"}, "atleast INR 1.00"),
    ({"amount": "12.5", "currency": "INR"}, "must be an integer"),
    ({"currency": "INR"}, "amount field is required"),
    ({"amount": 1000, "currency": "USD"}, "Currency is not supported"),
    ({"amount": 1000, "currency": "INR", "receipt": "r" * 41}, "less than or equal to 40"),
    ({"amount": 1000, "currency": "INR", "colour": "red"}, "colour is/are not required"),
    ({"amount": 1000, "currency": "INR", "notes": "x"}, "notes must be an object"),
])
def test_invalid_orders_get_razorpay_errors(gateway: RunningGateway, client: razorpay.Client,
                                            body: dict, message: str) -> None:
    with pytest.raises(BadRequestError, match=message):
        client.order.create(body)
    raw = requests.post(f"{gateway.base_url}/v1/orders", json=body, timeout=5,
                        auth=(gateway.config.key_id, gateway.config.key_secret))
    assert raw.status_code == 400 and raw.json()["error"]["code"] == "BAD_REQUEST_ERROR"
    assert client.order.all()["count"] == 0


def test_unknown_ids_are_bad_requests(client: razorpay.Client) -> None:
    for fetch, unknown in ((client.order.fetch, "order_AAAAAAAAAAAAAA"), (client.payment.fetch, "pay_nope"),
                           (client.refund.fetch, "rfnd_nope")):
        with pytest.raises(BadRequestError, match="does not exist"):
            fetch(unknown)


def test_manual_capture_only_once_and_only_for_the_exact_amount(gateway: RunningGateway,
                                                               client: razorpay.Client) -> None:
    order = new_order(client, 25000, payment_capture=0)
    payment_id = pay(gateway, order).fields["razorpay_payment_id"]
    payment = client.payment.fetch(payment_id)
    assert (payment["status"], payment["captured"]) == ("authorized", False)
    assert client.order.fetch(order["id"])["status"] == "attempted"
    with pytest.raises(BadRequestError, match="equal to the amount authorized"):
        client.payment.capture(payment_id, 24000, {"currency": "INR"})
    captured = client.payment.capture(payment_id, 25000, {"currency": "INR"})
    assert (captured["status"], captured["captured"], captured["amount"]) == ("captured", True, 25000)
    paid = client.order.fetch(order["id"])
    assert (paid["status"], paid["amount_paid"], paid["amount_due"]) == ("paid", 25000, 0)
    with pytest.raises(BadRequestError, match="This payment has already been captured"):
        client.payment.capture(payment_id, 25000, {"currency": "INR"})


def test_a_failed_payment_cannot_be_captured_or_refunded(gateway: RunningGateway, client: razorpay.Client) -> None:
    order = new_order(client, 5000, payment_capture=0)
    payment_id = json.loads(pay(gateway, order, "failure").fields["error[metadata]"])["payment_id"]
    with pytest.raises(BadRequestError, match="authorized and not yet captured"):
        client.payment.capture(payment_id, 5000, {"currency": "INR"})
    with pytest.raises(BadRequestError, match="Only captured payments"):
        client.payment.refund(payment_id, {"amount": 100})


def test_partial_then_full_refund_and_no_over_refund(gateway: RunningGateway, client: razorpay.Client) -> None:
    order = new_order(client, 10000)
    payment_id = pay(gateway, order).fields["razorpay_payment_id"]
    with pytest.raises(BadRequestError, match="greater than amount captured"):
        client.payment.refund(payment_id, {"amount": 10001})
    first = client.payment.refund(payment_id, {"amount": 4000, "receipt": "r-1", "notes": {"why": "late"}})
    assert ID.fullmatch(first["id"]) and first["id"].startswith("rfnd_")
    assert {k: first[k] for k in ("entity", "amount", "currency", "payment_id", "receipt", "notes", "status",
                                  "speed_processed")} == {
        "entity": "refund", "amount": 4000, "currency": "INR", "payment_id": payment_id, "receipt": "r-1",
        "notes": {"why": "late"}, "status": "processed", "speed_processed": "normal"}
    partial = client.payment.fetch(payment_id)
    assert (partial["status"], partial["amount_refunded"], partial["refund_status"]) == ("captured", 4000, "partial")
    with pytest.raises(BadRequestError, match="greater than amount captured"):
        client.payment.refund(payment_id, {"amount": 6001})
    rest = client.payment.refund(payment_id)  # no amount: everything that is left
    assert rest["amount"] == 6000
    full = client.payment.fetch(payment_id)
    assert (full["status"], full["amount_refunded"], full["refund_status"]) == ("refunded", 10000, "full")
    with pytest.raises(BadRequestError, match="fully refunded"):
        client.payment.refund(payment_id, {"amount": 100})
    assert client.refund.fetch(first["id"]) == first
    listed = client.payment.fetch_multiple_refund(payment_id)
    assert listed["count"] == 2 and {r["id"] for r in listed["items"]} == {first["id"], rest["id"]}
    assert client.order.fetch(order["id"])["status"] == "paid"


def test_refund_idempotency_key(gateway: RunningGateway, client: razorpay.Client) -> None:
    payment_id = pay(gateway, new_order(client, 10000)).fields["razorpay_payment_id"]
    key = {"X-Refund-Idempotency": "refund-booking-17-a"}
    first = client.payment.refund(payment_id, {"amount": 3000}, headers=dict(key))
    again = client.payment.refund(payment_id, {"amount": 3000}, headers=dict(key))
    assert again == first
    assert client.payment.fetch(payment_id)["amount_refunded"] == 3000
    with pytest.raises(BadRequestError, match="Different request with the same idempotency key"):
        client.payment.refund(payment_id, {"amount": 2000}, headers=dict(key))
    with pytest.raises(BadRequestError, match="X-Refund-Idempotency"):
        client.payment.refund(payment_id, {"amount": 2000}, headers={"X-Refund-Idempotency": "short"})
    other = client.payment.refund(payment_id, {"amount": 3000}, headers={"X-Refund-Idempotency": "refund-booking-17-b"})
    assert other["id"] != first["id"]
    assert client.payment.fetch(payment_id)["amount_refunded"] == 6000


def test_concurrent_refunds_never_exceed_the_payment(gateway: RunningGateway, client: razorpay.Client) -> None:
    payment_id = pay(gateway, new_order(client, 10000)).fields["razorpay_payment_id"]
    outcomes: list[str] = []

    def refund() -> None:
        try:
            client_ = razorpay.Client(auth=client.auth, base_url=gateway.base_url)
            outcomes.append(client_.payment.refund(payment_id, {"amount": 3000})["id"])
        except BadRequestError:
            outcomes.append("refused")

    threads = [threading.Thread(target=refund) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(o == "refused" for o in outcomes) == [False] * 3 + [True] * 3
    assert client.payment.fetch(payment_id)["amount_refunded"] == 9000
