"""A professional's own money view: what was paid out, what the next payout will carry, what is
waiting for customers to pay, and any cash they hold for HomeServe (from `payables`, the same
reading the payout batch uses, so the page's "ready" is what the next run sends)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from hsa.models import Payout, PayoutBatch, Role
from hsa.services import scheduling
from hsa.services.actors import Actor
from hsa.services.money import payables
from hsa.services.money.payouts import period_label, reference
from hsa.services.permissions import require_role
from hsa.services.views import rupees

RECENT = 10


@dataclass(frozen=True)
class PaidLine:
    """One payout as the professional's bank statement will show it (the reference matches)."""

    when: str
    amount: str
    period: str
    reference: str


@dataclass(frozen=True)
class EarningsSummary:
    paid_out_paise: int
    ready_paise: int
    pending_paise: int
    cash_owed_paise: int
    paid_out: str
    ready: str
    pending: str
    cash_owed: str
    payouts: tuple[PaidLine, ...]


def summary(*, session: Session, actor: Actor | None) -> EarningsSummary:
    """The signed-in professional's totals. Any professional may look, approved or not: money
    earned before a document re-review is still theirs."""
    actor = require_role(actor, Role.professional)
    paid = int(session.exec(select(func.coalesce(func.sum(Payout.amount_paise), 0))
                            .where(Payout.professional_id == actor.id)).one())
    position = payables.owed(session, professional_id=actor.id).get(actor.id, payables.Owed(actor.id, 0))
    rows = session.exec(select(Payout, PayoutBatch.period_end).join(PayoutBatch, PayoutBatch.id == Payout.batch_id)  # type: ignore[arg-type]
                        .where(Payout.professional_id == actor.id).order_by(col(Payout.id).desc()).limit(RECENT))
    lines = tuple(PaidLine(when=scheduling.local_label(p.created_at), amount=rupees(p.amount_paise),
                           period=period_label(end), reference=reference(p.batch_id, p.id or 0)) for p, end in rows)
    ready, owed = position.payable_paise, position.owes_paise
    return EarningsSummary(paid_out_paise=paid, ready_paise=ready, pending_paise=position.pending_paise,
                           cash_owed_paise=owed, paid_out=rupees(paid), ready=rupees(ready),
                           pending=rupees(position.pending_paise), cash_owed=rupees(owed), payouts=lines)
