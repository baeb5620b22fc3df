"""The professional's earnings page: payouts so far, the next payout, money waiting for customers,
and a monthly statement to download (PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import reflex as rx
from babel.dates import format_date

from hsa import routes
from hsa.i18n import BABEL_LOCALES, DEFAULT, current
from hsa.services.actors import Actor
from hsa.services.money import earnings, statements
from hsa.state.auth import guard_page


@dataclass
class PaidRow:
    when: str = ""
    amount: str = ""
    period: str = ""
    reference: str = ""


@dataclass
class MonthRow:
    value: str = ""
    label: str = ""
    url: str = ""


def _month_label(month: str, english: str) -> str:
    """'November 2026' as the service says it, or the month in the event's language ('नवंबर 2026')."""
    lang = current()
    if lang == DEFAULT:
        return english
    try:
        year, number = (int(part) for part in month.split("-"))
        return format_date(date(year, number, 1), "MMMM y", locale=BABEL_LOCALES[lang])
    except (ValueError, KeyError):
        return english


def _page(*, session: Any, actor: Actor | None) -> tuple[earnings.EarningsSummary, list[statements.MonthLink]]:
    """The totals and the statement months, in the page load's one database trip."""
    return (earnings.summary(session=session, actor=actor),
            statements.statement_links(session=session, actor=actor))


class ProEarningsState(rx.State):
    """Read-only: loaded on each visit (the service re-resolves who is asking and checks the role).
    The statement links are signed when the page loads (an hour each), so choosing a month is
    only a lookup here."""

    paid_out: str = ""
    ready: str = ""
    pending: str = ""
    cash_owed: str = ""
    owes_cash: bool = False
    payouts: list[PaidRow] = []
    months: list[MonthRow] = []
    month: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        _, data, redirect = await guard_page(self, routes.PRO_EARNINGS, _page)
        if redirect or data is None:
            self.reset()
            return redirect
        summary, links = data
        self.paid_out, self.ready, self.pending = summary.paid_out, summary.ready, summary.pending
        self.cash_owed, self.owes_cash = summary.cash_owed, summary.cash_owed_paise > 0
        self.payouts = [PaidRow(p.when, p.amount, p.period, p.reference) for p in summary.payouts]
        self.months = [MonthRow(m.month, _month_label(m.month, m.label), m.url) for m in links]
        self.month = links[0].month if links else ""
        self.loaded = True
        return None

    @rx.event
    def choose_month(self, value: str) -> None:
        """The select's choice; one not offered (a tampered event) keeps the current month."""
        if any(m.value == value for m in self.months):
            self.month = value

    @rx.var
    def statement_url(self) -> str:
        return next((m.url for m in self.months if m.value == self.month), "")

    @rx.var
    def statement_label(self) -> str:
        return next((m.label for m in self.months if m.value == self.month), "")
