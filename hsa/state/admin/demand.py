"""The admin Demand page: stored forecasts for one service x city (chart) and where to recruit (table).

Reads only what the daily job stored (hsa.services.intelligence.demand_store.demand_view); nothing is
fitted here, so a page load is two small queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import plotly.graph_objects as go
import reflex as rx
from babel.dates import format_datetime

from hsa import routes
from hsa.i18n import BABEL_LOCALES, DEFAULT, current
from hsa.i18n.text import say, tr
from hsa.services.intelligence import demand_store
from hsa.services.scheduling import IST
from hsa.state.admin.common import admin_call, int_arg
from hsa.state.admin.dashboard import chart_layout, chart_text
from hsa.state.auth import fail, guard_page


@dataclass
class RecruitRow:
    key: str = ""
    service: str = ""
    city: str = ""
    demand: str = ""
    professionals: int = 0
    capacity: str = ""
    shortfall: str = ""
    recruit: int = 0
    method: str = ""


# What the daily job stores in English with a number in it (hsa.services.intelligence.demand_job),
# and the catalog key that says it in the page's language; fixed notes and labels go through `say`.
_NOTES = ((re.compile(r"Too little history \((\d+) days\): the daily average\."), "admin_ops.note_daily_average"),
          (re.compile(r"Too little history to test a model \((\d+) days\)\."), "admin_ops.note_no_backtest"))
_FAILED = re.compile(r"The model failed to fit today \((.*)\)\.", re.S)


def said_note(note: str) -> str:
    """A stored forecast note in the current language (as stored when nothing matches)."""
    for pattern, key in _NOTES:
        if found := pattern.fullmatch(note):
            return tr(key, days=found.group(1))
    if found := _FAILED.fullmatch(note):
        return tr("admin_ops.note_fit_failed", error=found.group(1))
    return say(note)


def computed_label(when: datetime) -> str:
    """'04 Dec 2026, 14:30 IST' (IST), the month in the current language."""
    local, lang = when.astimezone(IST), current()
    if lang == DEFAULT:
        return local.strftime("%d %b %Y, %H:%M IST")
    return format_datetime(local, "dd MMM y, HH:mm", locale=BABEL_LOCALES[lang]) + " IST"


def demand_figure(view: demand_store.DemandView) -> go.Figure:
    """History as bars, the forecast as a line inside its shaded 80 % interval."""
    fig = go.Figure()
    if view.forecast:
        days = [d.day.isoformat() for d in view.forecast]
        fig.add_trace(go.Scatter(x=days + days[::-1], y=[d.upper for d in view.forecast]
                                 + [d.lower for d in view.forecast][::-1], fill="toself", line=dict(width=0),
                                 fillcolor="rgba(99,110,250,0.2)", name=tr("admin_ops.chart_interval"),
                                 hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=days, y=[round(d.point, 1) for d in view.forecast], mode="lines+markers",
                                 name=tr("admin_ops.chart_forecast")))
    if view.history:
        fig.add_trace(go.Bar(x=[d.isoformat() for d, _ in view.history], y=[c for _, c in view.history],
                             name=tr("admin_ops.chart_requests_made"), marker_color="rgba(120,120,120,0.6)"))
    fig.update_yaxes(rangemode="tozero", title_text=tr("admin_ops.chart_per_day"))
    fig.update_layout(legend=dict(orientation="h", y=-0.2))
    title = tr("admin_ops.chart_title", service=say(view.chosen.service), city=view.chosen.city) if view.chosen \
        else tr("admin_ops.chart_empty")
    chart_layout(fig, title)
    return fig


class AdminDemandState(rx.State):
    service_options: list[dict[str, str]] = []
    city_options: list[dict[str, str]] = []
    service_id: str = ""
    city: str = ""
    method_line: str = ""
    note: str = ""
    computed: str = ""
    backtest: str = ""
    rows: list[RecruitRow] = []
    figure: go.Figure = go.Figure()
    has_data: bool = False
    error: str = ""
    loaded: bool = False

    async def _show(self, service_id: int | None, city: str | None) -> rx.event.EventSpec | None:
        view, err = await admin_call(self, demand_store.demand_view, readonly=True, service_id=service_id,
                                     city_name=city)
        if err:
            self.error = err.message
            return await fail(self, err)
        self.error, self.loaded, self.has_data = "", True, view.chosen is not None
        self.figure = demand_figure(view)
        services = {s.service_id: say(s.service) for s in view.series}
        self.service_options = [{"value": str(k), "label": v} for k, v in sorted(services.items(), key=lambda i: i[1])]
        if view.chosen is None:
            self.rows, self.city_options, self.method_line, self.note = [], [], "", ""
            return None
        c = view.chosen
        self.service_id, self.city = str(c.service_id), c.city
        self.city_options = [{"value": s.city, "label": s.city} for s in view.series if s.service_id == c.service_id]
        self.method_line = tr("admin_ops.shown_method", method=say(c.method_label))
        self.note = said_note(c.note)
        self.computed = computed_label(view.computed_at) if view.computed_at else ""
        b = view.backtest
        self.backtest = (tr("admin_ops.backtest", model=f"{b['mase_model']:.2f}", naive=f"{b['mase_naive']:.2f}")
                         if b.get("mase_model") is not None and b.get("mase_naive") is not None
                         else tr("admin_ops.not_backtested"))
        self.rows = [RecruitRow(key=f"{s.service_id}-{s.city}", service=say(s.service), city=s.city,
                                demand=f"{s.demand_14d:.0f}", professionals=s.professionals,
                                capacity=f"{s.capacity_14d:.0f}", shortfall=f"{s.shortfall_14d:.0f}",
                                recruit=s.recruit, method=say(s.method_label)) for s in view.series]
        return None

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        _, _, redirect = await guard_page(self, routes.ADMIN_DEMAND)
        if redirect:
            return redirect
        return await self._show(None, None)

    @rx.event
    async def pick_service(self, value: str) -> rx.event.EventSpec | None:
        """Another service: its city with the largest shortfall (the service re-checks the admin)."""
        return await self._show(int_arg(value) or None, None)

    @rx.event
    async def pick_city(self, value: str) -> rx.event.EventSpec | None:
        return await self._show(int_arg(self.service_id) or None, str(value)[:60])


__all__ = ["AdminDemandState", "RecruitRow", "chart_text", "demand_figure"]
