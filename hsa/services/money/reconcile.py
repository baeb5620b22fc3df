"""The reconciler: what the browser or a webhook should have told us, asked of the gateway.

A customer can pay and close the tab before returning, and a webhook can be lost: every open
order older than `SETTLE_AFTER` is looked up at the gateway and settled if it was paid, and every
refund not yet confirmed is sent again (same idempotency key, so never twice). Runs in the
reminder pass (`python -m hsa.cli reminders`, or the app's loop), one order at a time so no lock
is held across an HTTP call.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from hsa.models import Payment, PaymentStatus
from hsa.services.money import capture, refunds
from hsa.services.money.gateway import GatewayUnavailable

log = logging.getLogger(__name__)
SETTLE_AFTER = timedelta(minutes=2)   # give the browser's return and the webhook a head start
GIVE_UP_AFTER = timedelta(days=2)     # an order nobody paid in two days is retired


def reconcile(*, session: Session, now: datetime) -> dict[str, int]:
    """One pass; returns counts (settled orders, retired orders, refunds confirmed)."""
    open_orders = session.exec(select(Payment.order_id, Payment.created_at).where(
        Payment.status == PaymentStatus.created, col(Payment.order_id).is_not(None),
        Payment.created_at < now - SETTLE_AFTER)).all()
    session.commit()
    settled = retired = 0
    for order_id, created_at in open_orders:
        try:
            payment = capture.settle_from_gateway(session, order_id=str(order_id), now=now)
        except GatewayUnavailable as exc:
            log.warning("reconcile: order %s not checked: %s", order_id, exc.message)
            session.rollback()
            continue
        if payment is not None and payment.status is PaymentStatus.paid:
            settled += 1
        elif payment is not None and payment.status is PaymentStatus.created and created_at < now - GIVE_UP_AFTER:
            payment.status, payment.error = PaymentStatus.failed, "Not paid within two days."
            session.add(payment)
            session.commit()
            retired += 1
    confirmed = refunds.send_pending(session, now=now)
    if settled or retired or confirmed:
        log.info("reconcile: %d orders settled, %d retired, %d refunds confirmed", settled, retired, confirmed)
    return {"settled": settled, "retired": retired, "refunds": confirmed}
