"""Refunds: decided in the booking's transaction (journal + a pending row), sent to the gateway
after the commit with the row's own idempotency key, confirmed by its answer or its webhook.

Deciding reduces the payment's refundable room at once (`refunded_paise`), so a second decision
can never give the same money back twice; `send_pending` may run any number of times (the app
right after the move, the reconciler later): the gateway's `X-Refund-Idempotency` turns a retry
into the same refund.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from hsa.i18n.text import msg
from hsa.models import NotificationKind, Payment, PaymentStatus, Refund, RefundStatus, Role, ServiceRequest, utcnow
from hsa.services import audit, idempotency, notifications
from hsa.services.actors import Actor
from hsa.services.errors import NotFound, ValidationFailed
from hsa.services.money import postings
from hsa.services.money.gateway import GatewayUnavailable, get_gateway
from hsa.services.permissions import require_role
from hsa.services.views import rupees

log = logging.getLogger(__name__)


def decide(session: Session, req: ServiceRequest, amount_paise: int, *, reason: str, now: datetime,
           concession: bool = False) -> list[Refund]:
    """Refund `amount_paise` of a booking's gateway payments, newest first; journaled now. A
    `concession` (support's goodwill) also lowers the bill: HomeServe bears it."""
    made: list[Refund] = []
    left = amount_paise
    payments = session.exec(select(Payment).where(Payment.request_id == req.id, Payment.status == PaymentStatus.paid,
                                                  Payment.provider == "razorpay")
                            .order_by(col(Payment.id).desc()).with_for_update()).all()
    for p in payments:
        room = p.amount_paise - p.refunded_paise
        take = min(room, left)
        if take <= 0:
            continue
        p.refunded_paise += take
        if p.refunded_paise == p.amount_paise:
            p.status = PaymentStatus.refunded
        session.add(p)
        refund = Refund(payment_id=p.id, request_id=req.id, amount_paise=take, reason=reason[:300],
                        idempotency_key=f"hs-rfnd-{secrets.token_hex(12)}", created_at=now, concession=concession)
        session.add(refund)
        made.append(refund)
        left -= take
        if not left:
            break
    refunded = amount_paise - left
    if refunded:
        postings.refund_decided(session, req, refunded, now=now)
        if concession:
            postings.concession(session, req, refunded, now=now)
    return made


def mark_processed(session: Session, refund: Refund, *, gateway_refund_id: str | None, now: datetime) -> bool:
    """The gateway paid it back: journal it and tell the customer (once; False when already done)."""
    if refund.status is RefundStatus.processed:
        return False
    refund.status, refund.processed_at = RefundStatus.processed, now
    refund.gateway_refund_id = refund.gateway_refund_id or gateway_refund_id
    session.add(refund)
    req = session.get(ServiceRequest, refund.request_id)
    assert req is not None
    postings.refund_paid(session, req, refund.amount_paise, now=now)
    notifications.notify(session, user_id=req.customer_id, kind=NotificationKind.payment, title="Refund on its way",
                         body=f"{rupees(refund.amount_paise)} was refunded to your original payment method. "
                              "Banks take 5–7 working days to show it.", request_id=req.id, now=now)
    return True


def apply_gateway_refund(session: Session, entity: dict[str, Any], *, now: datetime) -> bool:
    """A refund entity from the gateway (its answer or a webhook) for one of ours."""
    key = str((entity.get("notes") or {}).get("refund_key", ""))
    refund = session.exec(select(Refund).where(
        (Refund.gateway_refund_id == str(entity.get("id", ""))) | (Refund.idempotency_key == key))
        .with_for_update()).first()
    if refund is None:
        log.warning("gateway refund %s matches no refund of ours", entity.get("id"))
        return False
    if entity.get("status") == "processed":
        return mark_processed(session, refund, gateway_refund_id=str(entity.get("id")), now=now)
    if refund.gateway_refund_id is None and entity.get("id"):
        refund.gateway_refund_id = str(entity["id"])
        session.add(refund)
    return False


def send_pending(session: Session, *, now: datetime | None = None) -> int:
    """Send every refund the gateway has not confirmed; returns how many it confirmed now."""
    done = 0
    gateway = get_gateway()
    pending = session.exec(select(Refund.id).where(Refund.status == RefundStatus.pending)).all()
    session.commit()
    for refund_id in pending:
        refund = session.get(Refund, refund_id)
        payment = session.get(Payment, refund.payment_id) if refund else None
        if refund is None or payment is None or not payment.gateway_payment_id:
            continue
        try:
            entity = gateway.refund(payment.gateway_payment_id, amount_paise=refund.amount_paise,
                                    key=refund.idempotency_key, notes={"refund_key": refund.idempotency_key})
        except GatewayUnavailable as exc:
            log.warning("refund %s not sent: %s", refund_id, exc.message)
            session.rollback()
            continue
        done += int(apply_gateway_refund(session, entity, now=now or utcnow()))
        session.commit()
    return done


def refund_by_admin(*, session: Session, actor: Actor | None, request_id: int, amount_rupees: object,
                    reason: object, now: datetime, idempotency_key: str | None = None) -> int:
    """Support gives money back (a complaint, a goodwill gesture): up to what was paid and not yet
    refunded, through the gateway; journaled, and the customer is told. Returns paise refunded.
    A repeat with the same key (a double click) refunds once."""
    actor = require_role(actor, Role.admin)
    key, scope = idempotency.clean(idempotency_key), f"refund:{request_id}"
    if (done := idempotency.replay(session, actor, scope, key, now=now)) is not None:
        return int(done)
    text = str(reason or "").strip()
    try:
        paise = round(float(str(amount_rupees).strip()) * 100)
    except ValueError:
        paise = 0
    req = session.exec(select(ServiceRequest).where(ServiceRequest.id == request_id).with_for_update()).first()
    if req is None:
        raise NotFound("request")
    room = sum(p.amount_paise - p.refunded_paise for p in session.exec(select(Payment).where(
        Payment.request_id == request_id, Payment.status == PaymentStatus.paid, Payment.provider == "razorpay")))
    errors = {}
    if not 100 <= paise <= room:
        errors["amount_rupees"] = (msg("svc_money.refund_between", room=rupees(room))
                                   if room >= 100 else msg("svc_money.refund_nothing_left"))
    if len(text) < 3 or len(text) > 300:
        errors["reason"] = msg("svc_money.refund_reason")
    if errors:
        raise ValidationFailed(errors)
    decide(session, req, paise, reason=text, now=now, concession=True)
    notifications.notify(session, user_id=req.customer_id, kind=NotificationKind.payment, title="Refund approved",
                         body=f"HomeServe support is refunding {rupees(paise)}: {text}", request_id=req.id, now=now)
    audit.record(session=session, actor_id=actor.id, action="request.refund", target_type="request",
                 target_id=req.id, status=rupees(paise))
    idempotency.remember(session, actor, scope, key, paise, now=now)
    session.commit()
    send_pending(session, now=now)
    return paise
