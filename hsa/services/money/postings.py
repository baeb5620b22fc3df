"""Which accounts each money event moves (the chart of accounts in use; see `journal`).

- charge (job completed, or an extra approved after completion): the customer owes the bill;
  the professional earns work + extras − commission; HomeServe earns commission + platform fee;
  GST is owed to the government.
- cancellation fee (GST-inclusive): split the same way, the professional's share only when one
  had accepted the job.
- gateway payment captured: money at the gateway, the customer owes less.
- cash received by the professional: the professional now holds it, so HomeServe owes them less.
- refund decided: the customer is owed it back (refunds account); refund paid by the gateway:
  it leaves the gateway balance. A concession (support's goodwill refund) also lowers the bill:
  HomeServe's revenue bears it, so the customer does not owe it again.
- payout: HomeServe pays the professional's balance to their bank.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from hsa.models import Account, ServiceRequest
from hsa.services.money import journal
from hsa.services.money.pricing import Breakdown, inclusive_tax, share

A = Account


def charge(session: Session, req: ServiceRequest, bill: Breakdown, *, now: datetime, kind: str = "charge") -> None:
    """The customer owes `bill` (the whole job, or an extra's own breakdown)."""
    assert req.professional_id is not None
    journal.post(session, kind=kind, request_id=req.id, now=now, lines=[
        (A.customer_receivable, bill.total_paise, req.customer_id),
        (A.professional_payable, -bill.professional_paise, req.professional_id),
        (A.platform_commission, -(bill.commission_paise + bill.platform_fee_paise), None),
        (A.gst_payable, -bill.gst_paise, None),
    ])


def cancel_fee(session: Session, req: ServiceRequest, fee_paise: int, *, now: datetime) -> None:
    """A late cancellation's fee: tax out of the inclusive amount, then the professional's share."""
    tax = inclusive_tax(fee_paise, req.gst_bps)
    net = fee_paise - tax
    pro_share = net - share(net, req.commission_bps) if req.professional_id else 0
    journal.post(session, kind="cancel_fee", request_id=req.id, now=now, lines=[
        (A.customer_receivable, fee_paise, req.customer_id),
        (A.professional_payable, -pro_share, req.professional_id),
        (A.platform_commission, -(net - pro_share), None),
        (A.gst_payable, -tax, None),
    ])


def gateway_payment(session: Session, req: ServiceRequest, amount_paise: int, *, now: datetime) -> None:
    journal.post(session, kind="payment", request_id=req.id, now=now, lines=[
        (A.gateway_clearing, amount_paise, None), (A.customer_receivable, -amount_paise, req.customer_id)])


def cash_payment(session: Session, req: ServiceRequest, amount_paise: int, *, now: datetime) -> None:
    assert req.professional_id is not None
    journal.post(session, kind="cash", request_id=req.id, now=now, lines=[
        (A.professional_payable, amount_paise, req.professional_id),
        (A.customer_receivable, -amount_paise, req.customer_id)])


def refund_decided(session: Session, req: ServiceRequest, amount_paise: int, *, now: datetime) -> None:
    journal.post(session, kind="refund", request_id=req.id, now=now, lines=[
        (A.customer_receivable, amount_paise, req.customer_id), (A.refunds, -amount_paise, None)])


def concession(session: Session, req: ServiceRequest, amount_paise: int, *, now: datetime) -> None:
    """Support's goodwill lowers the bill: HomeServe's revenue bears it, the customer owes no more."""
    journal.post(session, kind="concession", request_id=req.id, now=now, lines=[
        (A.platform_commission, amount_paise, None), (A.customer_receivable, -amount_paise, req.customer_id)])


def refund_paid(session: Session, req: ServiceRequest, amount_paise: int, *, now: datetime) -> None:
    journal.post(session, kind="refund_paid", request_id=req.id, now=now, lines=[
        (A.refunds, amount_paise, None), (A.gateway_clearing, -amount_paise, None)])


def payout(session: Session, professional_id: int, amount_paise: int, *, now: datetime) -> str:
    return journal.post(session, kind="payout", now=now, lines=[
        (A.professional_payable, amount_paise, professional_id), (A.payouts, -amount_paise, None)])
