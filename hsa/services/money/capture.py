"""Recording a payment the gateway took: from the browser's return, a webhook, or the reconciler.

All three end in `settle`, which is idempotent: under the payment's row lock, an order already
settled is left alone, so the callback and two copies of `payment.captured`, in any order, make
one payment, one journal entry and one notice. What the gateway says is checked against what we
asked for (order id and amount) before anything changes; an authorized payment is captured.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from hsa.i18n.text import msg
from hsa.models import Payment, PaymentMethod, PaymentStatus, RequestStatus, ServiceRequest
from hsa.services.money import invoices, postings, refunds
from hsa.services.money.gateway import get_gateway
from hsa.services.money.payments import balance, paid_amounts
from hsa.services.process.declaration import PROCESS
from hsa.services.process.system_moves import system_move
from hsa.services.views import rupees

log = logging.getLogger(__name__)
# How the customer paid, inside the "Payment received" notice (said in each reader's language).
METHOD_WORDS = {"upi": msg("svc_notices.how_upi"), "card": msg("svc_notices.how_card"),
                "netbanking": msg("svc_notices.how_netbanking"), "wallet": msg("svc_notices.how_wallet")}


def _locked(session: Session, order_id: str) -> Payment | None:
    return session.exec(select(Payment).where(Payment.order_id == order_id).with_for_update()
                        .execution_options(populate_existing=True)).first()


def captured_entity(entity: dict[str, Any], payment: Payment) -> bool:
    """Is this gateway payment a capture of exactly our order's amount?"""
    return (entity.get("status") == "captured" and entity.get("order_id") == payment.order_id
            and int(entity.get("amount", -1)) == payment.amount_paise and entity.get("currency", "INR") == "INR")


def settle(session: Session, *, order_id: str, entity: dict[str, Any], now: datetime) -> Payment | None:
    """Apply one gateway payment entity to our order (commits). Returns our payment, or None
    when the order is not ours."""
    payment = session.exec(select(Payment).where(Payment.order_id == order_id)).first()
    if payment is None:
        log.warning("gateway payment for unknown order %s", order_id)
        return None
    if entity.get("status") == "authorized" and payment.status in (PaymentStatus.created, PaymentStatus.failed):
        entity = _captured(str(entity["id"]), payment.amount_paise)  # before the lock: HTTP calls
    session.rollback()
    payment = _locked(session, order_id)
    assert payment is not None
    late = payment.status is PaymentStatus.failed and captured_entity(entity, payment)
    overpaid = False
    if payment.status is not PaymentStatus.created and not late:
        session.commit()
        return payment  # settled already (another copy of this event, or the callback)
    if captured_entity(entity, payment):
        # `late`: the customer paid an order we had retired (the amount owed changed while its page
        # was open): the money is real, so it is recorded, and whatever it overpays goes back.
        _record(session, payment, entity, now)
        overpaid = _refund_overpayment(session, payment.request_id, now)
    elif entity.get("status") == "failed":
        payment.error = str(entity.get("error_description") or "The payment failed.")[:300]
        session.add(payment)
    else:
        log.warning("gateway payment %s for order %s not applied (status %s, amount %s)", entity.get("id"),
                    order_id, entity.get("status"), entity.get("amount"))
    session.commit()
    if overpaid:
        refunds.send_pending(session, now=now)
    return payment


def _captured(payment_id: str, amount_paise: int) -> dict[str, Any]:
    """An authorized payment, captured: orders auto-capture, so usually it already is (an
    `payment.authorized` webhook arrives just before `payment.captured`); else capture it now."""
    gateway = get_gateway()
    entity = gateway.fetch_payment(payment_id)
    if entity.get("status") == "authorized":
        entity = gateway.capture(payment_id, amount_paise)
    return entity


def _record(session: Session, payment: Payment, entity: dict[str, Any], now: datetime) -> None:
    req = session.exec(select(ServiceRequest).where(ServiceRequest.id == payment.request_id).with_for_update()
                       .execution_options(populate_existing=True)).one()
    method = str(entity.get("method", ""))
    payment.status, payment.paid_at, payment.error = PaymentStatus.paid, now, ""
    payment.gateway_payment_id = str(entity["id"])
    payment.method = PaymentMethod(method) if method in PaymentMethod.__members__ else PaymentMethod.online
    session.add(payment)
    postings.gateway_payment(session, req, payment.amount_paise, now=now)
    system_move(session, req, PROCESS.get("pay"), now=now,  # the notices "payment received"
                words={"amount": rupees(payment.amount_paise),
                       "how": METHOD_WORDS.get(method, msg("svc_notices.how_online"))})
    invoices.issue_if_settled(session, req, now=now)  # paid up and the work done: its tax invoice


def _refund_overpayment(session: Session, request_id: int, now: datetime) -> bool:
    """Give back what a payment paid beyond the bill (two stale pages both paid); True if any."""
    req = session.get(ServiceRequest, request_id)
    assert req is not None
    owed = balance(req, paid_amounts(session, [request_id]).get(request_id, 0))
    if owed >= 0 or req.status is RequestStatus.cancelled:  # a cancellation refunds on its own terms
        return False
    refunds.decide(session, req, -owed, reason="Paid twice: the extra payment is refunded", now=now)
    return True


def settle_from_gateway(session: Session, *, order_id: str, now: datetime) -> Payment | None:
    """Ask the gateway what happened to an order (the browser's return, the reconciler) and settle."""
    payments = get_gateway().order_payments(order_id)
    best = next((p for p in payments if p.get("status") == "captured"), None) \
        or next((p for p in payments if p.get("status") == "authorized"), None) \
        or (payments[-1] if payments else None)
    if best is None:
        return session.exec(select(Payment).where(Payment.order_id == order_id)).first()
    return settle(session, order_id=order_id, entity=best, now=now)


def handle_return(session: Session, *, fields: dict[str, str], now: datetime) -> tuple[int | None, str]:
    """The customer's browser back from the gateway's page: (booking id, "paid" | "failed" |
    "pending" | "invalid"). Nothing it says is believed: the signature must match, and the
    outcome is what the gateway answers about the order."""
    gateway = get_gateway()
    order_id = fields.get("razorpay_order_id", "")
    if not order_id:
        try:
            order_id = str(json.loads(fields.get("error[metadata]", "") or "{}").get("order_id", ""))
        except ValueError:
            order_id = ""
    payment = session.exec(select(Payment).where(Payment.order_id == order_id)).first() if order_id else None
    if payment is None:
        return None, "invalid"
    request_id = payment.request_id
    session.commit()
    signed = "razorpay_signature" in fields
    if signed and not gateway.payment_signature_ok(order_id=order_id, payment_id=fields.get("razorpay_payment_id", ""),
                                                   signature=fields.get("razorpay_signature", "")):
        log.warning("payment return with a bad signature for order %s", order_id)
        return request_id, "invalid"
    settled = settle_from_gateway(session, order_id=order_id, now=now)
    if settled is not None and settled.status is PaymentStatus.paid:
        return request_id, "paid"
    return request_id, "pending" if signed else "failed"
