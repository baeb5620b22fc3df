"""The double-entry journal: every movement of money is one balanced transaction of entries.

Debits are positive and credits negative, so a transaction's amounts sum to zero and so does the
whole journal, always; an account's balance is a sum. Posting happens in the caller's database
transaction, the same one that changes the booking or payment, so the books can never disagree
with what people see (a rollback takes both). `postings` says which accounts each event moves.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from hsa.models import Account, LedgerEntry

Line = tuple[Account, int, int | None]  # account, signed paise (+ debit, − credit), the person it concerns


class Unbalanced(ValueError):
    """A programming error: the lines of one transaction do not sum to zero."""


def post(session: Session, *, kind: str, lines: Iterable[Line], now: datetime, request_id: int | None = None) -> str:
    """Add one balanced transaction; zero lines are dropped. Returns its id."""
    kept = [(account, amount, user) for account, amount, user in lines if amount]
    if sum(amount for _, amount, _ in kept) != 0:
        raise Unbalanced(f"{kind}: {kept}")
    txn = f"{kind}-{secrets.token_hex(8)}"
    for account, amount, user in kept:
        session.add(LedgerEntry(txn=txn, kind=kind, account=account, amount_paise=amount, request_id=request_id,
                                user_id=user, created_at=now))
    return txn


def balance(session: Session, account: Account, *, user_id: int | None = None, request_id: int | None = None) -> int:
    """Debits minus credits on `account` (optionally for one person or one booking)."""
    query = select(func.coalesce(func.sum(LedgerEntry.amount_paise), 0)).where(LedgerEntry.account == account)
    if user_id is not None:
        query = query.where(LedgerEntry.user_id == user_id)
    if request_id is not None:
        query = query.where(LedgerEntry.request_id == request_id)
    return int(session.exec(query).one())


def balances(session: Session) -> dict[Account, int]:
    """Every account's balance (they sum to zero)."""
    rows = session.exec(select(LedgerEntry.account, func.sum(LedgerEntry.amount_paise)).group_by(LedgerEntry.account))
    return {Account(a): int(total) for a, total in rows}


def unbalanced_transactions(session: Session) -> list[str]:
    """Transactions whose entries do not sum to zero (should always be empty: the audit query)."""
    return list(session.exec(select(LedgerEntry.txn).group_by(LedgerEntry.txn)
                             .having(func.sum(LedgerEntry.amount_paise) != 0)))
