"""Gateway webhooks: verified before anything is read, processed exactly once, in any order.

1. The `X-Razorpay-Signature` HMAC of the raw body must match the webhook secret; a forged or
   altered event is refused and changes nothing.
2. The event id (`X-Razorpay-Event-Id`) is stored once its effect is committed: a redelivery
   finds it and is acknowledged without acting. If the effect fails, nothing is stored, the
   gateway gets a 5xx and retries later (the effects are idempotent, so a crash in between
   only means the retry acts as a no-op).
3. Effects are idempotent and order-free: `payment.captured` / `order.paid` settle the order
   (a no-op once settled), a late `payment.failed` after a capture changes nothing, a
   `refund.processed` for a refund we have not yet recorded the id of is matched by its key.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from hsa.models import WebhookEvent
from hsa.services.errors import Forbidden, ValidationFailed
from hsa.services.money import capture, refunds
from hsa.services.money.gateway import get_gateway

log = logging.getLogger(__name__)


def handle(session: Session, *, body: bytes, signature: str, event_id: str, now: datetime) -> str:
    """Process one delivery; returns "processed", "duplicate" or "ignored"."""
    if not signature or not get_gateway().webhook_signature_ok(body, signature):
        raise Forbidden("Webhook signature does not match.")
    try:
        event = json.loads(body)
    except ValueError:
        raise ValidationFailed({"body": "not JSON"}) from None
    name = str(event.get("event", ""))
    event_id = (event_id or "").strip()[:64] or f"{name}:{event.get('created_at')}:{len(body)}"
    if session.exec(select(WebhookEvent.id).where(WebhookEvent.event_id == event_id)).first() is not None:
        return "duplicate"
    payload = event.get("payload") or {}
    outcome = "ignored"
    if name in ("payment.captured", "payment.authorized", "payment.failed", "order.paid"):
        entity = (payload.get("payment") or {}).get("entity") or {}
        if entity.get("order_id"):
            capture.settle(session, order_id=str(entity["order_id"]), entity=entity, now=now)
            outcome = "processed"
    elif name in ("refund.processed", "refund.created", "refund.failed"):
        entity = (payload.get("refund") or {}).get("entity") or {}
        if entity:
            refunds.apply_gateway_refund(session, entity, now=now)
            outcome = "processed"
    try:
        with session.begin_nested():
            session.add(WebhookEvent(event_id=event_id, event=name[:64], received_at=now))
        session.commit()
    except IntegrityError:
        session.rollback()
        return "duplicate"  # a concurrent copy stored it first (its effect is idempotent anyway)
    log.info("webhook %s %s: %s", event_id, name, outcome)
    return outcome
