"""Reading money per booking: what was paid, what is owed, the open order (one query each)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from hsa.models import Payment, PaymentStatus, Refund, RefundStatus, RequestStatus, ServiceRequest
from hsa.services.money.pricing import amount_due

SETTLED = (PaymentStatus.paid, PaymentStatus.refunded)
# a booking can be paid for (in advance, or what is left) until it is closed; a cancelled one
# only while a cancellation fee is owed
PAYABLE = (RequestStatus.requested, RequestStatus.assigned, RequestStatus.in_progress, RequestStatus.completed,
           RequestStatus.cancelled)


def paid_amounts(session: Session, request_ids: list[int]) -> dict[int, int]:
    """Net paise settled per booking: captured or cash, less refunds, plus support's concessions
    (a concession lowers the bill, so for what is owed it counts as paid)."""
    if not request_ids:
        return {}
    rows = session.exec(select(Payment.request_id, func.sum(Payment.amount_paise - Payment.refunded_paise))
                        .where(col(Payment.request_id).in_(request_ids), col(Payment.status).in_(SETTLED))
                        .group_by(Payment.request_id))
    out = {rid: int(total) for rid, total in rows}
    for rid, total in session.exec(select(Refund.request_id, func.sum(Refund.amount_paise)).where(
            col(Refund.request_id).in_(request_ids), col(Refund.concession).is_(True)).group_by(Refund.request_id)):
        out[rid] = out.get(rid, 0) + int(total)
    return out


def balance(req: ServiceRequest, paid_paise: int) -> int:
    """What the customer still owes (negative: HomeServe owes them, to be refunded)."""
    return amount_due(req) - paid_paise


@dataclass(frozen=True)
class MoneyState:
    """What a booking's card says about money."""

    paid_paise: int = 0         # settled, for what is owed: net of refunds, plus concessions
    received_paise: int = 0     # every paisa received, before refunds (the card's "Paid ₹…")
    method: str = ""            # how the last settled payment was made (upi, card, cash …)
    error: str = ""             # the last declined attempt's reason, while the order is still open
    refunded_paise: int = 0
    refund_pending: bool = False


def money_states(session: Session, request_ids: list[int]) -> dict[int, MoneyState]:
    """Per booking: paid, received, the method, a declined attempt's reason, refunds (two queries)."""
    if not request_ids:
        return {}
    by_request: dict[int, list[Payment]] = {}
    for p in session.exec(select(Payment).where(col(Payment.request_id).in_(request_ids))
                          .order_by(col(Payment.id))):
        by_request.setdefault(p.request_id, []).append(p)
    refunds: dict[int, list[Refund]] = {}
    for r in session.exec(select(Refund).where(col(Refund.request_id).in_(request_ids))):
        refunds.setdefault(r.request_id, []).append(r)
    out = {}
    for rid, rows in by_request.items():
        settled = [p for p in rows if p.status in SETTLED]
        open_order = next((p for p in rows if p.status is PaymentStatus.created), None)
        given = refunds.get(rid, [])
        out[rid] = MoneyState(
            paid_paise=sum(p.amount_paise - p.refunded_paise for p in settled)
            + sum(r.amount_paise for r in given if r.concession),
            received_paise=sum(p.amount_paise for p in settled),
            method=settled[-1].method.value if settled else "",
            error=open_order.error if open_order else "",
            refunded_paise=sum(p.refunded_paise for p in rows),
            refund_pending=any(r.status is RefundStatus.pending for r in given))
    return out
