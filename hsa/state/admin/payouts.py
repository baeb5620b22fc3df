"""Weekly payouts: pick the period's last day, review what each professional gets, confirm, and
download each batch's bank file. Every step goes through `services.money.payouts` (admin checked there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import reflex as rx

from hsa import routes
from hsa.i18n.text import say, tr
from hsa.models import utcnow
from hsa.services.errors import DomainError
from hsa.services.money import payouts
from hsa.services.scheduling import IST
from hsa.state.admin.common import admin_call, int_arg
from hsa.state.auth import errors_of, fail, guard_page
from hsa.state.forms import FormState, submits


@dataclass
class LineUI:
    professional_id: int = 0
    name: str = ""
    amount: str = ""
    note: str = ""


@dataclass
class BatchUI:
    id: int = 0
    period_label: str = ""
    created: str = ""
    count: int = 0
    total: str = ""


def _lines(lines: tuple[payouts.Line, ...]) -> list[LineUI]:
    return [LineUI(line.professional_id, line.name, line.amount, say(line.note)) for line in lines]


class AdminPayoutsState(FormState, rx.State):
    period_day: str = ""        # the form's default: last Sunday (IST)
    batches: list[BatchUI] = []
    # The report on screen: a preview waiting for confirmation (`report_id` 0) or the batch just paid.
    shown: bool = False
    report_id: int = 0
    report_period: str = ""
    report_count: int = 0
    report_total: str = ""
    report_paid: list[LineUI] = []
    report_owes: list[LineUI] = []
    report_held: list[LineUI] = []
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    loaded: bool = False
    _period: str = ""  # the reviewed period end (ISO): what Confirm pays; the service checks it again

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self._clear_report()
        self.errors, self.error, self.notice = {}, "", ""
        _, rows, redirect = await guard_page(self, routes.ADMIN_PAYOUTS, payouts.list_batches)
        if redirect:
            return redirect
        self._show_batches(rows or [])
        self.period_day = payouts.default_period_day(utcnow()).isoformat()
        self.loaded = True
        return None

    def _show_batches(self, rows: list[payouts.BatchRow]) -> None:
        self.batches = [BatchUI(r.id, r.period_label, r.created, r.count, r.total) for r in rows]

    def _clear_report(self) -> None:
        self.shown, self.report_id, self._period = False, 0, ""
        self.report_paid, self.report_owes, self.report_held = [], [], []

    def _show_report(self, report: payouts.BatchReport) -> None:
        self.shown, self.report_id = True, report.id
        self.report_period, self.report_count, self.report_total = report.period_label, report.count, report.total
        self.report_paid, self.report_owes = _lines(report.payouts), _lines(report.owes)
        self.report_held = _lines(report.held)

    async def _refused(self, err: DomainError) -> rx.event.EventSpec | None:
        self.errors, self.error, self.notice = errors_of(err), err.message, ""
        return await fail(self, err)

    @rx.event
    @submits
    async def review(self, form_data: dict) -> rx.event.EventSpec | None:
        """First step: what a run would pay for the chosen period (nothing is written)."""
        self._clear_report()
        self.notice = ""
        now = utcnow()
        try:
            period_end = payouts.parse_period(str(form_data.get("period_end", ""))[:20], now=now)
        except DomainError as exc:
            return await self._refused(exc)
        report, err = await admin_call(self, payouts.preview_batch, period_end=period_end, now=now)
        if err:
            return await self._refused(err)
        self.errors, self.error = {}, ""
        self.period_day = period_end.astimezone(IST).date().isoformat()
        self._show_report(report)
        self._period = period_end.isoformat()
        return None

    @rx.event
    async def confirm(self) -> rx.event.EventSpec | None:
        """Second step: pay the reviewed period (a second click finds nothing left and says so)."""
        if not self._period or self.report_id:
            return None
        report, err = await admin_call(self, payouts.run_batch, period_end=datetime.fromisoformat(self._period),
                                       now=utcnow())
        if err:
            self._clear_report()
            return await self._refused(err)
        self.error = ""
        self._show_report(report)
        self._period = ""
        said = dict(id=report.id, count=report.count, total=report.total)
        self.notice = (tr("admin_money.paid_notice_one", **said) if report.count == 1
                       else tr("admin_money.paid_notice_many", **said))
        rows, err = await admin_call(self, payouts.list_batches)
        if not err:
            self._show_batches(rows)
        return None

    @rx.event
    def cancel(self) -> None:
        """UI only: close the preview without paying."""
        self._clear_report()

    @rx.event
    async def download(self, batch_id: int) -> rx.event.EventSpec | None:
        """The batch's bank CSV, made (and audited) by the service for an admin, sent to this browser."""
        batch = int_arg(batch_id)
        text, err = await admin_call(self, payouts.batch_csv, batch_id=batch)
        if err:
            return await self._refused(err)
        return rx.download(data=text, filename=f"homeserve-payouts-{batch}.csv", mime_type="text/csv")

