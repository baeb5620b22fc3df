"""Paying for a booking through the gateway, end to end over HTTP: our checkout form → the test
gateway's hosted page (Razorpay's contract) → our callback and signed webhooks → the booking,
the journal and the notices. Nothing of ours is replaced: the gateway is a real server and the
webhooks reach our real API route."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
from sqlmodel import Session, col, select

from hsa.db import session_scope
from hsa.models import (
    Account,
    LedgerEntry,
    Notification,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    RequestStatus,
    Role,
    ServiceRequest,
    utcnow,
)
from hsa.services import bookings
from hsa.services.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from hsa.services.money import checkout, journal, reconcile, refunds
from hsa.services.money.gateway import GatewayUnavailable, get_gateway
from hsa.testgateway import RunningGateway, webhook_signature
from tests.factories import actor_for, fresh, make_request, make_service, make_user
from tests.payment_fixtures import Customer, LiveApi
from tests.polling import wait_until

PRICE = 49_900


@pytest.fixture
def job(session: Session):  # noqa: ANN201 - a small bag of what each test needs
    service = make_service(session, price_paise=PRICE)
    owner = make_user(session, full_name="Asha Rao")
    pro = make_user(session, role=Role.professional, service=service, full_name="Ravi Kumar")
    req = make_request(session, customer=owner, service=service, status=RequestStatus.completed, professional=pro,
                       platform_fee_paise=4_900)
    return req, actor_for(session, owner), actor_for(session, pro)


def _payments(session: Session, request_id: int) -> list[Payment]:
    """The booking's payments, read in a transaction of their own (ended at once: on SQLite an
    open one would hold the write lock our API's callback and webhooks need)."""
    session.commit()
    rows = list(session.exec(select(Payment).where(Payment.request_id == request_id).order_by(col(Payment.id))))
    session.commit()
    return rows


def _paid(session: Session, request_id: int) -> list[Payment]:
    return [p for p in _payments(session, request_id) if p.status is PaymentStatus.paid]


def _idle(session: Session, gateway: RunningGateway) -> None:
    """Wait until every webhook was acknowledged (first ending the test's transaction: on SQLite
    it holds the write lock the webhook route needs)."""
    session.commit()
    assert gateway.wait_idle(5), gateway.events()


def _start(session: Session, req: ServiceRequest, actor) -> checkout.CheckoutForm:  # noqa: ANN001
    """Start a checkout, then end the test's read transaction (it would hold SQLite's writers off)."""
    form = checkout.start_checkout(session=session, actor=actor, request_id=req.id, now=utcnow())
    session.commit()
    return form


def test_paying_by_upi_on_the_hosted_page_settles_the_booking_once(
        session: Session, job, customer_browser: Customer, gateway: RunningGateway) -> None:  # noqa: ANN001
    req, c, p = job
    total = (PRICE + 4_900) * 118 // 100  # 64,664 paise: (499 + 49) + 18 % GST, exact here
    form = _start(session, req, c)
    assert form.fields["amount"] == str(total) and form.action == f"{gateway.base_url}/v1/checkout/embedded"
    back = customer_browser.pay(form, method="upi", vpa="asha@okhdfc")
    assert back.status_code == 303 and back.headers["location"] == f"http://localhost:3000/requests?payment=paid&request={req.id}"
    _idle(session, gateway)  # payment.authorized, payment.captured, order.paid: all acknowledged
    wait_until(lambda: len(_paid(session, req.id)) == 1, timeout=5, what="the payment")
    [paid] = _paid(session, req.id)
    assert (paid.amount_paise, paid.method.value, paid.provider) == (total, "upi", "razorpay")
    assert paid.gateway_payment_id and paid.gateway_payment_id.startswith("pay_")
    view = bookings.get_request(session=session, actor=c, request_id=req.id)
    assert view.paid and view.balance == "" and view.paid_amount == "₹646.64" and "close" in view.actions
    assert journal.balance(session, Account.customer_receivable, user_id=c.id) == 0
    assert journal.balance(session, Account.gateway_clearing) == total
    assert journal.unbalanced_transactions(session) == []
    told = session.exec(select(Notification.title, Notification.user_id).where(
        Notification.request_id == req.id, Notification.title == "Payment received")).all()
    assert sorted(u for _, u in told) == sorted([c.id, p.id])  # once each, whatever the webhooks repeated
    assert {e["event"] for e in gateway.events()} >= {"payment.captured", "order.paid"}


def test_a_declined_card_can_be_retried_on_the_same_order_and_is_charged_once(
        session: Session, job, customer_browser: Customer, gateway: RunningGateway) -> None:  # noqa: ANN001
    req, c, _ = job
    first = _start(session, req, c)
    back = customer_browser.pay(first, outcome="failure", method="card")
    assert back.headers["location"].endswith(f"/requests?payment=failed&request={req.id}")
    wait_until(lambda: "declined" in (_payments(session, req.id)[0].error or ""), timeout=5, what="the decline")
    view = bookings.get_request(session=session, actor=c, request_id=req.id)
    assert not view.paid and view.can_pay and "declined" in view.payment_error
    again = _start(session, req, c)
    assert again.fields["order_id"] == first.fields["order_id"]  # the same order: it can take one payment
    customer_browser.pay(again, method="card")
    wait_until(lambda: len(_paid(session, req.id)) == 1, timeout=5, what="the retried payment")
    assert len(_payments(session, req.id)) == 1 and _paid(session, req.id)[0].method.value == "card"
    _idle(session, gateway)
    with pytest.raises(InvalidTransition, match="already paid"):
        _start(session, req, c)


def test_twenty_concurrent_pay_clicks_open_one_order_and_a_double_submit_charges_once(
        session: Session, job, customer_browser: Customer, gateway: RunningGateway) -> None:  # noqa: ANN001
    req, c, _ = job
    session.commit()

    def click(_: int) -> str:
        with session_scope() as s:
            return checkout.start_checkout(session=s, actor=c, request_id=req.id, now=utcnow()).fields["order_id"]

    with ThreadPoolExecutor(max_workers=20) as pool:
        orders = set(pool.map(click, range(20)))
    assert len(orders) == 1 and len(_payments(session, req.id)) == 1
    form = _start(session, req, c)
    customer_browser.pay(form)
    customer_browser.pay(form)  # the hosted page submitted twice (back button, double tap)
    _idle(session, gateway)
    wait_until(lambda: len(_paid(session, req.id)) == 1, timeout=5, what="the payment")
    charged = [p for p in get_gateway().order_payments(form.fields["order_id"]) if p["status"] == "captured"]
    assert len(charged) == 1 and len(_paid(session, req.id)) == 1


def test_forged_webhooks_are_refused_and_change_nothing(session: Session, job, live_api: LiveApi,
                                                        gateway: RunningGateway) -> None:  # noqa: ANN001
    req, c, _ = job
    form = _start(session, req, c)
    entity = {"id": "pay_FORGED00000001", "entity": "payment", "status": "captured", "currency": "INR",
              "amount": int(form.fields["amount"]), "order_id": form.fields["order_id"], "method": "upi"}
    body = json.dumps({"event": "payment.captured", "payload": {"payment": {"entity": entity}}}).encode()
    url = f"{live_api.base_url}/api/v1/payments/webhook"
    for signature in ("", "0" * 64, webhook_signature("not-the-secret", body)):
        answer = requests.post(url, data=body, timeout=5, headers={"X-Razorpay-Signature": signature,
                                                                    "X-Razorpay-Event-Id": "evt_forged"})
        assert answer.status_code == 400
    tampered = body.replace(b'"upi"', b'"card"')
    answer = requests.post(url, data=tampered, timeout=5, headers={
        "X-Razorpay-Signature": webhook_signature(gateway.config.webhook_secret, body)})
    assert answer.status_code == 400
    assert _paid(session, req.id) == [] and session.exec(select(LedgerEntry).where(
        LedgerEntry.kind == "payment")).all() == []


def test_duplicate_and_out_of_order_webhooks_make_one_payment(session: Session, job, customer_browser: Customer,
                                                              gateway: RunningGateway) -> None:  # noqa: ANN001
    req, c, _ = job
    gateway.hold_webhooks(True)
    form = _start(session, req, c)
    page = requests.post(form.action, data=form.fields, timeout=5)
    from tests.testgateway.support import parse

    submit = parse(page.text).forms[0]
    requests.post(gateway.base_url + submit.action, data={**submit.fields, "outcome": "success"}, timeout=5)
    # the customer closed the tab: no callback; the webhooks arrive newest first, then all again
    events = [e["id"] for e in gateway.events()]
    assert len(events) == 3
    gateway.deliver(list(reversed(events)))
    gateway.deliver(events)
    gateway.redeliver(events[1])
    assert len(_paid(session, req.id)) == 1
    assert len(session.exec(select(LedgerEntry).where(LedgerEntry.kind == "payment",
                                                      LedgerEntry.request_id == req.id)).all()) == 2
    assert len(session.exec(select(Notification).where(Notification.title == "Payment received")).all()) == 2


def test_a_payment_nobody_reported_is_found_by_the_reconciler(session: Session, job,
                                                             gateway: RunningGateway) -> None:  # noqa: ANN001
    req, c, _ = job
    gateway.hold_webhooks(True)  # the webhooks are lost, and the browser never comes back
    form = _start(session, req, c)
    page = requests.post(form.action, data=form.fields, timeout=5)
    from tests.testgateway.support import parse

    submit = parse(page.text).forms[0]
    requests.post(gateway.base_url + submit.action, data={**submit.fields, "outcome": "success"}, timeout=5)
    assert reconcile.reconcile(session=session, now=utcnow()) == {"settled": 0, "retired": 0, "refunds": 0}
    counts = reconcile.reconcile(session=session, now=utcnow() + reconcile.SETTLE_AFTER + timedelta(seconds=1))
    assert counts["settled"] == 1 and len(_paid(session, req.id)) == 1
    session.commit()
    gateway.flush()  # the lost webhooks turn up after all: acknowledged, nothing more happens
    assert len(_paid(session, req.id)) == 1


def test_a_late_cancellation_keeps_the_fee_and_refunds_the_rest_through_the_gateway(
        session: Session, customer_browser: Customer, gateway: RunningGateway) -> None:
    service = make_service(session, price_paise=PRICE)
    owner = make_user(session)
    pro = make_user(session, role=Role.professional, service=service)
    req = make_request(session, customer=owner, service=service, status=RequestStatus.assigned, professional=pro,
                       scheduled_at=utcnow() + timedelta(hours=2))
    c = actor_for(session, owner)
    customer_browser.pay(_start(session, req, c))  # paid in advance: ₹588.82
    wait_until(lambda: len(_paid(session, req.id)) == 1, timeout=5, what="the advance payment")
    terms = bookings.get_request(session=session, actor=c, request_id=req.id).cancel_terms
    assert terms.startswith("A cancellation fee of ₹99 (incl. GST) applies")
    gone = bookings.transition(session=session, actor=c, request_id=req.id, action="cancel",
                               data={"reason": "Guests arrived"})
    assert gone.status == "cancelled" and gone.balance == ""
    refund = session.exec(select(Refund).where(Refund.request_id == req.id)).one()
    assert refund.amount_paise == 58_882 - 9_900 and refund.status is RefundStatus.processed
    assert refund.gateway_refund_id and refund.gateway_refund_id.startswith("rfnd_")
    view = bookings.get_request(session=session, actor=c, request_id=req.id)
    assert view.refund_note == "₹489.82 refunded" and view.bill == [("Cancellation fee (incl. GST)", "₹99")]
    _idle(session, gateway)  # refund.created / refund.processed webhooks: no second refund, no second notice
    assert len(session.exec(select(Refund)).all()) == 1
    assert journal.balance(session, Account.customer_receivable, user_id=owner.id) == 0
    assert journal.balance(session, Account.refunds) == 0
    assert journal.balance(session, Account.gateway_clearing) == 9_900
    assert journal.unbalanced_transactions(session) == []
    assert len(session.exec(select(Notification).where(Notification.title == "Refund on its way")).all()) == 1


def test_an_extra_approved_after_paying_in_advance_leaves_a_balance_to_pay(
        session: Session, customer_browser: Customer, gateway: RunningGateway) -> None:
    service = make_service(session, price_paise=PRICE)
    owner = make_user(session)
    pro = make_user(session, role=Role.professional, service=service)
    req = make_request(session, customer=owner, service=service, status=RequestStatus.in_progress, professional=pro)
    c, p = actor_for(session, owner), actor_for(session, pro)
    customer_browser.pay(_start(session, req, c))
    wait_until(lambda: len(_paid(session, req.id)) == 1, timeout=5, what="the advance payment")
    bookings.transition(session=session, actor=p, request_id=req.id, action="propose_extra",
                        data={"amount_rupees": 200, "reason": "New tap"})
    bookings.transition(session=session, actor=c, request_id=req.id, action="approve_extra")
    done = bookings.transition(session=session, actor=p, request_id=req.id, action="complete")
    assert done.balance == "₹236" and not done.paid  # 200 + 18 % GST
    second = _start(session, req, c)
    assert second.fields["amount"] == "23600"
    customer_browser.pay(second)
    wait_until(lambda: len(_paid(session, req.id)) == 2, timeout=5, what="the balance payment")
    assert bookings.get_request(session=session, actor=c, request_id=req.id).paid
    assert journal.balance(session, Account.customer_receivable, user_id=owner.id) == 0
    assert journal.balance(session, Account.professional_payable, user_id=pro.id) == -(PRICE + 20_000) * 80 // 100


def test_only_the_bookings_customer_can_start_a_payment(session: Session, job,
                                                        gateway: RunningGateway) -> None:  # noqa: ANN001
    req, _, p = job
    stranger = actor_for(session, make_user(session))
    with pytest.raises(NotFound):
        _start(session, req, stranger)
    with pytest.raises(Exception, match="not allowed"):
        _start(session, req, p)
    assert _payments(session, req.id) == []


def test_a_live_gateway_with_the_test_secrets_takes_no_payment(session: Session, job,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    req, c, _ = job
    monkeypatch.setenv("HSA_RAZORPAY_API_URL", "https://api.razorpay.com")
    with pytest.raises(GatewayUnavailable, match="not set up"):
        _start(session, req, c)
    assert fresh(session, req).status is RequestStatus.completed


def test_paying_an_order_retired_while_its_page_was_open_is_recorded_not_lost(
        session: Session, job, customer_browser: Customer, gateway: RunningGateway) -> None:  # noqa: ANN001
    req, c, p = job
    first = _start(session, req, c)  # the customer opens the hosted page for ₹646.64 …
    bookings.transition(session=session, actor=p, request_id=req.id, action="propose_extra",
                        data={"amount_rupees": 100, "reason": "Washer"})
    bookings.transition(session=session, actor=c, request_id=req.id, action="approve_extra")
    second = _start(session, req, c)  # … the bill grew meanwhile: a new order, the first one retired
    assert second.fields["order_id"] != first.fields["order_id"] and second.fields["amount"] == "76464"
    assert [x.status for x in _payments(session, req.id)] == [PaymentStatus.failed, PaymentStatus.created]
    customer_browser.pay(first)  # … and pays the old page after all
    _idle(session, gateway)
    old = next(x for x in _payments(session, req.id) if x.order_id == first.fields["order_id"])
    assert old.status is PaymentStatus.paid and old.amount_paise == 64_664
    view = bookings.get_request(session=session, actor=c, request_id=req.id)
    assert view.balance == "₹118" and view.can_pay  # the extra and its GST are still owed, nothing was lost
    session.commit()
    customer_browser.pay(second)  # the stale ₹764.64 page, paid too: the overpayment goes back at once
    _idle(session, gateway)
    refund = session.exec(select(Refund).where(Refund.request_id == req.id)).one()
    assert refund.amount_paise == 76_464 - 11_800 and refund.status is RefundStatus.processed
    assert bookings.get_request(session=session, actor=c, request_id=req.id).paid
    assert journal.unbalanced_transactions(session) == []


def test_an_admin_refund_is_a_concession_the_customer_does_not_owe_again(
        session: Session, job, customer_browser: Customer, gateway: RunningGateway) -> None:  # noqa: ANN001
    req, c, _ = job
    customer_browser.pay(_start(session, req, c))
    wait_until(lambda: len(_paid(session, req.id)) == 1, timeout=5, what="the payment")
    boss = actor_for(session, make_user(session, role=Role.admin))
    with pytest.raises(ValidationFailed) as exc:
        refunds.refund_by_admin(session=session, actor=boss, request_id=req.id, amount_rupees="999",
                                reason="Late", now=utcnow())
    assert "₹646.64" in exc.value.fields["amount_rupees"]
    session.rollback()
    with pytest.raises(Forbidden):
        refunds.refund_by_admin(session=session, actor=c, request_id=req.id, amount_rupees="50", reason="Mine",
                                now=utcnow())
    session.rollback()
    for _ in range(2):  # a double click: one refund
        refunds.refund_by_admin(session=session, actor=boss, request_id=req.id, amount_rupees="50",
                                reason="Arrived an hour late", now=utcnow(), idempotency_key="refund-key-0001")
    refund = session.exec(select(Refund).where(Refund.request_id == req.id)).one()
    assert (refund.amount_paise, refund.status, refund.concession) == (5_000, RefundStatus.processed, True)
    view = bookings.get_request(session=session, actor=c, request_id=req.id)
    assert view.paid and view.balance == "" and not view.can_pay and view.refund_note == "₹50 refunded"
    assert view.paid_amount == "₹646.64"  # what they paid; the refund is shown beside it
    assert journal.balance(session, Account.customer_receivable, user_id=c.id) == 0
    assert journal.unbalanced_transactions(session) == []
    _idle(session, gateway)
