"""Webhooks: Razorpay's envelope and signature, retries, holding, chosen order and redelivery."""

from __future__ import annotations

from pathlib import Path

import razorpay
import requests

from hsa.testgateway import GatewayConfig, RunningGateway, start_in_thread
from tests.testgateway.conftest import RETRY_DELAYS
from tests.testgateway.support import Receiver, new_order, pay

PAID = ["payment.authorized", "payment.captured", "order.paid"]


def events(gw: RunningGateway) -> list[dict]:
    return requests.get(f"{gw.base_url}/_test/events", timeout=5).json()["items"]


def test_payment_events_are_signed_and_carry_razorpays_envelope(gateway: RunningGateway, receiver: Receiver,
                                                                client: razorpay.Client) -> None:
    order = new_order(client, 123456)
    payment_id = pay(gateway, order).fields["razorpay_payment_id"]
    got = receiver.wait_for(3)
    assert [r.json["event"] for r in got] == PAID
    secret = gateway.config.webhook_secret
    for r in got:
        assert client.utility.verify_webhook_signature(r.body, r.signature, secret) is True
        assert r.content_type == "application/json"
        assert r.json["entity"] == "event" and r.json["account_id"] == "acc_test"
        assert r.json["payload"]["payment"]["entity"]["id"] == payment_id
    authorized, captured, paid = (r.json for r in got)
    assert authorized["contains"] == ["payment"]
    assert authorized["payload"]["payment"]["entity"]["status"] == "authorized"
    assert captured["payload"]["payment"]["entity"]["status"] == "captured"
    assert paid["contains"] == ["payment", "order"]
    assert paid["payload"]["order"]["entity"] | {"created_at": 0} == client.order.fetch(order["id"]) | {"created_at": 0}
    listed = events(gateway)
    assert [e["id"] for e in listed] == [r.event_id for r in got] and len({r.event_id for r in got}) == 3
    assert all(e["delivered"] and e["attempts"] == 1 and e["last_status"] == 200 for e in listed)


def test_failed_payment_and_refund_events(gateway: RunningGateway, receiver: Receiver,
                                          client: razorpay.Client) -> None:
    pay(gateway, new_order(client, 5000), "failure")
    failed = receiver.wait_for(1)[0].json
    assert failed["event"] == "payment.failed"
    assert failed["payload"]["payment"]["entity"]["error_reason"] == "payment_failed"
    payment_id = pay(gateway, new_order(client, 5000)).fields["razorpay_payment_id"]
    refund = client.payment.refund(payment_id, {"amount": 2000})
    got = receiver.wait_for(6)
    assert [r.json["event"] for r in got[4:]] == ["refund.created", "refund.processed"]
    for r in got[4:]:
        assert r.json["contains"] == ["refund", "payment"]
        assert r.json["payload"]["refund"]["entity"] == refund
        assert r.json["payload"]["payment"]["entity"]["amount_refunded"] == 2000


def test_a_failing_receiver_gets_the_same_event_again_until_it_answers_2xx(
        gateway: RunningGateway, receiver: Receiver, client: razorpay.Client) -> None:
    receiver.answer(500, 500)
    pay(gateway, new_order(client), "failure")
    got = receiver.wait_for(3)
    assert [r.answered for r in got] == [500, 500, 200]
    assert len({r.event_id for r in got}) == 1 and len({r.body for r in got}) == 1
    assert len({r.signature for r in got}) == 1
    assert gateway.wait_idle(5)
    (event,) = events(gateway)
    assert (event["delivered"], event["attempts"], event["last_status"]) == (True, 3, 200)


def test_delivery_is_given_up_after_the_last_retry(gateway: RunningGateway, receiver: Receiver,
                                                   client: razorpay.Client) -> None:
    receiver.answer(*[503] * (len(RETRY_DELAYS) + 1))
    pay(gateway, new_order(client), "failure")
    assert gateway.wait_idle(5)
    assert [r.answered for r in receiver.received] == [503] * (len(RETRY_DELAYS) + 1)
    (event,) = events(gateway)
    assert (event["delivered"], event["status"], event["attempts"], event["last_status"]) == (
        False, "failed", len(RETRY_DELAYS) + 1, 503)


def test_held_webhooks_wait_for_a_flush(gateway: RunningGateway, receiver: Receiver,
                                        client: razorpay.Client) -> None:
    config = requests.post(f"{gateway.base_url}/_test/config", json={"deliver_webhooks": False}, timeout=5)
    assert config.json()["deliver_webhooks"] is False
    pay(gateway, new_order(client))
    assert gateway.wait_idle(5)  # paused: nothing the worker would send on its own
    assert receiver.received == []
    assert [(e["event"], e["delivered"], e["attempts"]) for e in events(gateway)] == [(n, False, 0) for n in PAID]
    flushed = requests.post(f"{gateway.base_url}/_test/flush", timeout=5).json()["results"]
    assert [r["ok"] for r in flushed] == [True] * 3
    assert receiver.events() == PAID  # the flush answered after sending
    assert all(e["delivered"] for e in events(gateway))


def test_held_webhooks_can_be_sent_in_a_chosen_order_and_redelivered(gateway: RunningGateway, receiver: Receiver,
                                                                    client: razorpay.Client) -> None:
    gateway.hold_webhooks()
    pay(gateway, new_order(client))
    by_name = {e["event"]: e["id"] for e in events(gateway)}
    wanted = [by_name["order.paid"], by_name["payment.authorized"]]
    answer = requests.post(f"{gateway.base_url}/_test/events/deliver", json={"order": wanted}, timeout=5)
    assert [r["id"] for r in answer.json()["results"]] == wanted
    assert [r.event_id for r in receiver.received] == wanted
    first_body = receiver.received[0].body
    again = requests.post(f"{gateway.base_url}/_test/events/{wanted[0]}/redeliver", timeout=5)
    assert again.json()["ok"] is True
    assert receiver.received[-1].event_id == wanted[0] and receiver.received[-1].body == first_body
    states = {e["event"]: (e["delivered"], e["attempts"]) for e in events(gateway)}
    assert states == {"order.paid": (True, 2), "payment.authorized": (True, 1), "payment.captured": (False, 0)}
    gateway.hold_webhooks(False)  # the one still held goes out on its own
    assert gateway.wait_idle(5) and receiver.events()[-1] == "payment.captured"
    unknown = requests.post(f"{gateway.base_url}/_test/events/evt_nope/redeliver", timeout=5)
    assert unknown.status_code == 404


def test_wait_idle_endpoint_and_late_webhook_url(client: razorpay.Client, receiver: Receiver) -> None:
    """A gateway started before its receiver exists: events queue up, then go out once a URL is set."""
    with start_in_thread(GatewayConfig(webhook_retry_delays=RETRY_DELAYS)) as gw:
        own = razorpay.Client(auth=(gw.config.key_id, gw.config.key_secret), base_url=gw.base_url)
        pay(gw, own.order.create({"amount": 1000, "currency": "INR"}), "failure")
        assert requests.post(f"{gw.base_url}/_test/wait_idle", timeout=5).json() == {"idle": True}
        assert receiver.received == []
        requests.post(f"{gw.base_url}/_test/config", json={"webhook_url": receiver.url}, timeout=5)
        assert requests.post(f"{gw.base_url}/_test/wait_idle?timeout=5", timeout=10).json() == {"idle": True}
        assert receiver.events() == ["payment.failed"]


def test_state_survives_a_restart_with_a_database_file(tmp_path: Path) -> None:
    config = GatewayConfig(db_path=str(tmp_path / "gateway.db"))
    with start_in_thread(config) as gw:
        client = razorpay.Client(auth=(config.key_id, config.key_secret), base_url=gw.base_url)
        order = client.order.create({"amount": 1000, "currency": "INR", "receipt": "kept"})
    with start_in_thread(config) as gw:
        client = razorpay.Client(auth=(config.key_id, config.key_secret), base_url=gw.base_url)
        assert client.order.fetch(order["id"]) == order
        assert client.order.all({"receipt": "kept"})["count"] == 1
    assert (tmp_path / "gateway.db").stat().st_mode & 0o777 == 0o600
