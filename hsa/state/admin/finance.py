"""The Finance page: a range's money figures as KPIs, three plotly charts (each with a table for
screen readers), and CSV exports that run in the background with a progress bar.

Figures and exports come from `services.money.finance` and `services.exports`, which check the
admin role themselves; every event (each chunk of an export too) resolves the actor again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date

import plotly.graph_objects as go
import reflex as rx
from babel.dates import format_date

from hsa import i18n, routes
from hsa.i18n.text import msg, say, tr
from hsa.services import exports
from hsa.services.errors import DomainError
from hsa.services.money import finance
from hsa.services.views import rupees
from hsa.services.wording import group_digits
from hsa.state.admin.common import admin_call, token_call
from hsa.state.admin.dashboard import chart_layout, chart_text
from hsa.state.auth import errors_of, fail, guard_page, token_of
from hsa.state.forms import FormState, submits

log = logging.getLogger(__name__)


@dataclass
class MoneyRowUI:
    """One line of a chart's table: what the bars or lines show, in words and rupees."""

    label: str = ""
    revenue: str = ""
    commission: str = ""
    gst: str = ""
    refunds: str = ""


@dataclass
class ExportUI:
    """An export as the page shows it: its bar, its row count, its download link once done."""

    id: str = ""
    title: str = ""
    state: str = ""
    rows: str = ""     # "12,000 of 1,000,000 rows" (said in the viewer's language)
    percent: int = 0
    url: str = ""      # a signed link, minted for this admin when the export is done
    filename: str = ""


def _export_ui(s: exports.ExportStatus) -> ExportUI:
    rows = (tr("admin_money.rows_done", done=group_digits(s.done)) if s.state == exports.DONE
            else tr("admin_money.rows_progress", done=group_digits(s.done), total=group_digits(s.total)))
    return ExportUI(s.id, say(s.title), s.state, rows, s.percent, s.url, s.filename)


def _range_day(d: date) -> str:
    """'04 Dec 2026' (as before in English; CLDR's en_IN says 'Sept'), the month in words elsewhere."""
    lang = i18n.current()
    return f"{d:%d %b %Y}" if lang == i18n.DEFAULT else format_date(d, "dd MMM y", locale=i18n.BABEL_LOCALES[lang])


def _rows(items: list[tuple[str, finance.Figures]]) -> list[MoneyRowUI]:
    return [MoneyRowUI(say(label), rupees(f.revenue_paise), rupees(f.commission_paise), rupees(f.gst_paise),
                       rupees(f.refunds_paise)) for label, f in items]


def _money_axes(fig: go.Figure, x_title: str, *, dates: bool = False) -> None:
    """Rupee y-axis, a titled x-axis (days as dates, not 30 crowded labels), the legend on top."""
    fig.update_xaxes(title_text=x_title, **({"type": "date", "tickformat": "%d %b"} if dates else {"type": "category"}))
    fig.update_yaxes(title_text=tr("admin_money.amount_axis"), tickprefix="₹", rangemode="tozero",
                     separatethousands=True)
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0), height=360,
                      margin=dict(l=10, r=10, t=70, b=10))


def _series(items: list[tuple[str, finance.Figures]]) -> dict[str, list[float]]:
    return {tr("admin_money.revenue"): [f.revenue_paise / 100 for _, f in items],
            tr("admin_money.commission_fees"): [f.commission_paise / 100 for _, f in items],
            "GST": [f.gst_paise / 100 for _, f in items]}


def finance_charts(report: finance.FinanceReport) -> tuple[go.Figure, go.Figure, go.Figure]:
    """By day (lines), by service and by city (grouped bars); every label through `chart_text`."""
    days = [chart_text(d) for d, _ in report.by_day]
    day = go.Figure([go.Scatter(x=days, y=ys, name=name, mode="lines+markers")
                     for name, ys in _series(report.by_day).items()])
    chart_layout(day, tr("admin_money.chart_by_day"))
    _money_axes(day, tr("admin_money.day_ist"), dates=True)
    figures = []
    for items, title, axis in ((report.by_service, tr("admin_money.by_service"), tr("admin_common.service")),
                               (report.by_city, tr("admin_money.by_city"), tr("admin_money.city"))):
        labels = [chart_text(say(label)) for label, _ in items]
        fig = go.Figure([go.Bar(x=labels, y=ys, name=name) for name, ys in _series(items).items()])
        fig.update_layout(barmode="group")
        chart_layout(fig, title)
        _money_axes(fig, axis)
        figures.append(fig)
    return day, figures[0], figures[1]


async def export_as(token: str, kind: str, show: Callable[[exports.ExportStatus], Awaitable[None]],
                    ) -> tuple[exports.ExportStatus | None, DomainError | None, list[exports.ExportStatus] | None]:
    """The export loop of `start_export`, apart from the state so tests can drive it: start, then
    one chunk per call (each resolving the actor from `token`), `show` after each; at the end the
    download link and the refreshed list of exports. Returns (status, error, recent exports)."""
    status, err = await token_call(token, exports.start_export, kind=kind)
    while err is None and status.state == exports.RUNNING:
        await show(status)
        # a pure read: on SQLite it must not take the write lock 200 times for a million rows
        status, err = await token_call(token, exports.export_chunk, export_id=status.id, readonly=True)
    if err is None and status.state != exports.DONE:
        err = DomainError(msg("admin_money.export_failed"))
    if err is None:
        url, err = await token_call(token, exports.download_link, export_id=status.id, readonly=True)
        status = replace(status, url=url or "")
    found, _ = await token_call(token, exports.recent_exports, readonly=True)
    return status, err, found


class AdminFinanceState(FormState, rx.State):
    """Not live (a report over a chosen range): reloaded by the range form; exports push progress."""

    date_from: str = ""
    date_to: str = ""
    range_label: str = ""
    kpis: dict[str, str] = {}
    day_chart: go.Figure = go.Figure()
    service_chart: go.Figure = go.Figure()
    city_chart: go.Figure = go.Figure()
    day_rows: list[MoneyRowUI] = []
    service_rows: list[MoneyRowUI] = []
    city_rows: list[MoneyRowUI] = []
    errors: dict[str, str] = {}
    error: str = ""
    loaded: bool = False
    exporting: bool = False
    export: ExportUI = ExportUI()   # the export this tab is running (or ran last)
    export_error: str = ""
    recent: list[ExportUI] = []

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error = {}, ""
        _, report, redirect = await guard_page(self, routes.ADMIN_FINANCE, finance.finance_report)
        if redirect:
            return redirect
        self._show(report)
        await self._load_recent()
        self.loaded = True
        return AdminFinanceState.load_due

    @rx.event(background=True)
    async def load_due(self) -> None:  # type: ignore[misc]
        """Payouts due reads the whole journal (seconds on millions of lines): asked after the page
        shows, in the background, so the tab's other events do not wait for it."""
        async with self:
            token = await token_of(self)
        due, err = await token_call(token, finance.payouts_due, readonly=True)
        async with self:
            self.kpis = self.kpis | {"due": rupees(due) if err is None else "—"}

    def _show(self, r: finance.FinanceReport) -> None:
        t = r.totals
        self.date_from, self.date_to = r.first_day.isoformat(), r.last_day.isoformat()
        self.range_label = tr("admin_money.range_label", first=_range_day(r.first_day), last=_range_day(r.last_day))
        self.kpis = {"revenue": rupees(t.revenue_paise), "commission": rupees(t.commission_paise),
                     "gst": rupees(t.gst_paise), "refunds": rupees(t.refunds_paise), "payouts": rupees(t.payouts_paise),
                     "due": self.kpis.get("due", "…")}
        self.day_chart, self.service_chart, self.city_chart = finance_charts(r)
        self.day_rows, self.service_rows, self.city_rows = _rows(r.by_day), _rows(r.by_service), _rows(r.by_city)

    async def _load_recent(self) -> None:
        found, err = await admin_call(self, exports.recent_exports, readonly=True)
        self.recent = [_export_ui(s) for s in found or []] if not err else []

    @rx.event
    @submits
    async def show_range(self, form_data: dict) -> rx.event.EventSpec | None:
        """The figures for the IST days typed (the service checks the range and the role)."""
        report, err = await admin_call(self, finance.finance_report, readonly=True,
                                       date_from=str(form_data.get("date_from", ""))[:20],
                                       date_to=str(form_data.get("date_to", ""))[:20])
        if err:
            self.errors, self.error = errors_of(err), err.message
            return await fail(self, err)
        self.errors, self.error = {}, ""
        self._show(report)
        return None

    @rx.event(background=True)
    async def start_export(self, kind: str) -> None:  # type: ignore[misc]
        """Open an export and write it chunk by chunk, moving the progress bar after each one.

        Runs in the background so the page stays usable; one export per tab at a time. The
        token is read once (background tasks may not read other states outside the lock), and
        every chunk's call resolves the actor from it again.
        """
        async with self:
            if self.exporting:
                return
            self.exporting, self.export_error, self.export = True, "", ExportUI()
            token = await token_of(self)

        async def show(status: exports.ExportStatus) -> None:
            async with self:
                self.export = _export_ui(status)
        try:
            status, err, found = await export_as(token, str(kind)[:20], show)
            async with self:
                self.export = _export_ui(status) if status is not None else ExportUI()
                self.export_error = err.message if err else ""
                self.recent = [_export_ui(s) for s in found] if found is not None else self.recent
        except Exception:  # a database or disk error: say so instead of a bar stuck half-way
            log.exception("export failed")
            async with self:
                self.export_error = tr("admin_money.export_failed")
        finally:
            async with self:
                self.exporting = False
