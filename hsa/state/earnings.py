"""The professional's earnings page: payouts so far, the next payout, money waiting for customers."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.services.money import earnings
from hsa.state.auth import guard_page


@dataclass
class PaidRow:
    when: str = ""
    amount: str = ""
    period: str = ""
    reference: str = ""


class ProEarningsState(rx.State):
    """Read-only: loaded on each visit (the service re-resolves who is asking and checks the role)."""

    paid_out: str = ""
    ready: str = ""
    pending: str = ""
    cash_owed: str = ""
    owes_cash: bool = False
    payouts: list[PaidRow] = []
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        _, summary, redirect = await guard_page(self, routes.PRO_EARNINGS, earnings.summary)
        if redirect or summary is None:
            self.reset()
            return redirect
        self.paid_out, self.ready, self.pending = summary.paid_out, summary.ready, summary.pending
        self.cash_owed, self.owes_cash = summary.cash_owed, summary.cash_owed_paise > 0
        self.payouts = [PaidRow(p.when, p.amount, p.period, p.reference) for p in summary.payouts]
        self.loaded = True
        return None
