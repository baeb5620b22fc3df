"""What HomeServe owes each professional, read from the journal (the payout batch and the
professional's earnings page both ask here, so they can never disagree).

A professional's `professional_payable` balance is credited their share when a job is charged,
debited when they collect cash (they hold HomeServe's commission and the GST) and debited by
each payout. Two refinements turn that balance into "payable":

- **As of a cut-off.** Only entries created up to `upto` count, except payouts, which always
  count: a payout made on Monday for last week's work must reduce a re-run for last week too,
  or the same earnings would be paid twice.
- **Only money the customer has paid.** A completed job is charged before the customer pays, so
  its share is already in the balance. Paying it out would send money HomeServe has not received
  (and, for a job the customer will pay in cash, money the professional is about to hold). While
  a booking's `customer_receivable` is still positive at the cut-off, the professional's share of
  it is *pending*: held back, at most what the customer still owes on it, and paid by the first
  run after the customer pays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from hsa.models import Account, LedgerEntry

PAYOUT_KIND = "payout"  # `postings.payout`'s journal kind


@dataclass(frozen=True)
class Owed:
    """One professional's position. `balance_paise` is the ledger's sign: negative when HomeServe
    owes them, positive when they hold more cash than they have earned."""

    professional_id: int
    balance_paise: int
    pending_paise: int = 0

    @property
    def payable_paise(self) -> int:
        """What a payout may send now: the credit balance less what customers have not paid yet."""
        return max(0, -self.balance_paise - self.pending_paise)

    @property
    def owes_paise(self) -> int:
        """Cash they collected beyond their paid-for earnings: commission and GST they owe HomeServe
        (a share still waiting for its customer does not offset cash already in their pocket)."""
        return max(0, self.balance_paise + self.pending_paise)


def owed(session: Session, *, upto: datetime | None = None, professional_id: int | None = None) -> dict[int, Owed]:
    """Every professional with journal entries (or just `professional_id`), as of `upto` (None: now)."""
    entry = LedgerEntry
    counted = entry.created_at <= upto if upto is not None else sa.true()  # type: ignore[operator]
    mine = entry.user_id == professional_id if professional_id is not None else sa.true()
    pp = entry.account == Account.professional_payable
    balances = session.exec(
        select(entry.user_id, func.sum(entry.amount_paise))
        .where(pp, col(entry.user_id).is_not(None), mine, or_(counted, entry.kind == PAYOUT_KIND))
        .group_by(entry.user_id)).all()
    unpaid = (select(entry.request_id, func.sum(entry.amount_paise).label("due"))
              .where(entry.account == Account.customer_receivable, col(entry.request_id).is_not(None), counted)
              .group_by(entry.request_id).having(func.sum(entry.amount_paise) > 0).subquery())
    shares = session.exec(
        select(entry.user_id, unpaid.c.due, func.sum(entry.amount_paise))
        .join(unpaid, unpaid.c.request_id == entry.request_id)
        .where(pp, col(entry.user_id).is_not(None), mine, counted)
        .group_by(entry.user_id, entry.request_id, unpaid.c.due)).all()
    pending: dict[int, int] = {}
    for user_id, due, share in shares:
        held = max(0, min(-int(share), int(due)))  # their credit on the booking, capped by what is unpaid
        pending[user_id] = pending.get(user_id, 0) + held
    return {int(user_id): Owed(int(user_id), int(total), pending.get(user_id, 0)) for user_id, total in balances}
