"""Starting a payment: one open gateway order per booking for what is owed, reused by every click.

Two short steps around one HTTP call, so no database lock is held while the gateway answers:
1. under the booking's row lock, reuse the open order if it is for the amount owed now (else
   retire it and open a new one): the partial unique index allows one open order per booking;
2. create the order at the gateway with our payment id as its receipt (`unique_receipt`: a
   retry returns the same order), then store its id. Twenty concurrent clicks → one order →
   at most one successful payment at the gateway → one charge.
The amount is always computed here from the booking, never taken from the browser.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from hsa import routes
from hsa.i18n.text import msg
from hsa.models import Payment, PaymentMethod, PaymentStatus, RequestStatus, Role, Service, ServiceRequest, User
from hsa.services import scheduling, throttle
from hsa.services.actors import Actor
from hsa.services.errors import Conflict, InvalidTransition, NotFound
from hsa.services.money.gateway import CheckoutForm, get_gateway
from hsa.services.money.payments import PAYABLE, balance, paid_amounts
from hsa.services.permissions import require_role
from hsa.services.process import extras
from hsa.settings import get_settings

CHECKOUT_LIMIT = "30/minute;300/hour"  # per customer: opening an order costs a gateway call


def _open_payment(session: Session, actor: Actor, request_id: int, now: datetime) -> Payment:
    req = session.exec(select(ServiceRequest).where(ServiceRequest.id == request_id).with_for_update()
                       .execution_options(populate_existing=True)).first()
    if req is None or (req.customer_id != actor.id):
        raise NotFound("request")
    if req.status not in PAYABLE:
        raise InvalidTransition(msg("svc_money.nothing_to_pay"))
    if req.status is not RequestStatus.cancelled and extras.pending(session, request_id) is not None:
        raise InvalidTransition(msg("svc_booking.answer_extra_first"))
    owed = balance(req, paid_amounts(session, [request_id]).get(request_id, 0))
    if owed <= 0:
        raise InvalidTransition(msg("svc_money.already_paid"))
    current = session.exec(select(Payment).where(Payment.request_id == request_id,
                                                 Payment.status == PaymentStatus.created)).first()
    if current is not None and current.amount_paise == owed:
        return current
    if current is not None:  # the bill changed (an extra was approved): that order must not be paid
        current.status, current.error = PaymentStatus.failed, "Replaced: the amount owed changed."
        session.add(current)
        session.flush()
    payment = Payment(request_id=request_id, amount_paise=owed, method=PaymentMethod.online,
                      status=PaymentStatus.created, provider="razorpay", created_at=now)
    session.add(payment)
    session.commit()
    return payment


def start_checkout(*, session: Session, actor: Actor | None, request_id: int, now: datetime) -> CheckoutForm:
    """The form that takes the customer to the gateway's page to pay what they owe on a booking."""
    actor = require_role(actor, Role.customer)
    wait = throttle.take(CHECKOUT_LIMIT, "checkout", str(actor.id))
    if wait:
        raise Conflict(msg("svc_money.too_many_payments", wait=throttle.in_words(wait)))
    payment = _open_payment(session, actor, request_id, now)
    gateway = get_gateway()
    if payment.order_id is None:
        order = gateway.create_order(amount_paise=payment.amount_paise, receipt=f"hs-pay-{payment.id}",
                                     notes={"request_id": str(request_id), "payment_id": str(payment.id)})
        row = session.exec(select(Payment).where(Payment.id == payment.id).with_for_update()
                           .execution_options(populate_existing=True)).one()
        if row.order_id is None:
            row.order_id = str(order["id"])
            session.add(row)
            session.commit()
        payment = row
    session.commit()  # end the read transaction (SQLite: do not hold a snapshot)
    req = session.get(ServiceRequest, request_id)
    assert req is not None and payment.order_id is not None
    service = session.get(Service, req.service_id)
    user = session.get(User, actor.id)
    public = get_settings().public_url
    return gateway.checkout_form(
        order_id=payment.order_id, amount_paise=payment.amount_paise,
        description=f"{service.name if service else 'Booking'} · {scheduling.local_label(req.scheduled_at)}",
        prefill={"name": user.full_name, "email": user.email, "contact": user.phone} if user else {},
        callback_url=f"{public}/api/v1/payments/callback",
        cancel_url=f"{public}{routes.MY_REQUESTS}?request={request_id}")
