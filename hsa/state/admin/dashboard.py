"""The live dashboard: KPIs and plotly charts, pushed on the `admin` topic."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import reflex as rx

from hsa import routes
from hsa.i18n import formats
from hsa.i18n.text import tr
from hsa.services import changes, stats
from hsa.services.errors import DomainError
from hsa.state.admin.common import STATUS_LABELS
from hsa.state.auth import call_as_actor, fail, guard_page
from hsa.state.push import LiveState, live


def _count_axis(values: list[int]) -> dict[str, Any]:
    """Whole-number ticks: step 1 for small counts, so no axis ever reads 1.8 or repeats '2'."""
    top = max(values or [0])
    return dict(tickformat="d", rangemode="tozero", dtick=1 if top <= 10 else None, range=[0, max(top, 1) * 1.1])


def chart_text(value: object) -> str:
    """Text for a chart label, category, hover or title, shown as typed.

    Plotly renders a subset of HTML in chart text (`<a href>`, `<b>`, `<br>`), so a service named
    `<a href="https://evil.example">` would be a live link on the admin's screen. Plotly decodes
    `&lt;`, `&gt;` and `&amp;` back to the characters, so escaping them keeps the name readable.
    """
    return html.escape(str(value), quote=False)


def chart_layout(fig: go.Figure, title: str) -> None:
    """Every admin chart's frame: the title (already said in the viewer's language; shown as
    typed), 300 px high, the white template."""
    fig.update_layout(title=chart_text(title), height=300, margin=dict(l=10, r=10, t=40, b=10),
                      template="plotly_white")


def _bar(labels: list[str], values: list[int], *, title: str, horizontal: bool = False) -> go.Figure:
    """Count charts: integer ticks only (a request count is never 1.8)."""
    labels = [chart_text(label) for label in labels]
    bar = go.Bar(y=labels, x=values, orientation="h") if horizontal else go.Bar(x=labels, y=values)
    fig = go.Figure(bar)
    count_axis = _count_axis(values)
    if horizontal:
        fig.update_xaxes(**count_axis)
        fig.update_yaxes(type="category", autorange="reversed")  # pincodes are labels, not numbers
    else:
        fig.update_yaxes(**count_axis)
        fig.update_xaxes(type="category")
    chart_layout(fig, title)
    return fig


@dataclass(frozen=True)
class DashboardCharts:
    status: go.Figure
    rating: go.Figure
    trend: go.Figure
    services: go.Figure
    pincodes: go.Figure


def dashboard_charts(d: stats.Dashboard) -> DashboardCharts:
    """Every chart of the dashboard from the service's numbers, its titles and status labels in the
    current event's language; all text goes through `chart_text`."""
    statuses = list(STATUS_LABELS)
    trend = go.Figure(go.Bar(x=[chart_text(day) for day, _ in d.bookings_per_day],
                             y=[c for _, c in d.bookings_per_day]))
    trend.update_yaxes(**_count_axis([c for _, c in d.bookings_per_day]))
    chart_layout(trend, tr("admin_trust.chart_trend"))
    return DashboardCharts(
        status=_bar([STATUS_LABELS[s] for s in statuses], [d.by_status[s] for s in statuses],
                    title=tr("admin_trust.chart_status")),
        rating=_bar([f"{r}★" for r in range(1, 6)], [d.rating_distribution[r] for r in range(1, 6)],
                    title=tr("admin_trust.chart_ratings")),
        trend=trend,
        services=_bar([n for n, _ in d.top_services], [c for _, c in d.top_services],
                      title=tr("admin_trust.chart_services"), horizontal=True),
        pincodes=_bar([p for p, _ in d.top_pincodes], [c for _, c in d.top_pincodes],
                      title=tr("admin_trust.chart_pincodes"), horizontal=True),
    )


@live(route=routes.ADMIN_HOME, interval=1.5)
class AdminHomeState(LiveState, rx.State):
    """The live summary dashboard: pushed on the `admin` topic, recomputed at most once a second."""

    kpis: dict[str, str] = {}
    has_ratings: bool = False
    status_chart: go.Figure = go.Figure()
    rating_chart: go.Figure = go.Figure()
    trend_chart: go.Figure = go.Figure()
    services_chart: go.Figure = go.Figure()
    pincodes_chart: go.Figure = go.Figure()
    error: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        _, _, redirect = await guard_page(self, routes.ADMIN_HOME)
        if redirect:
            return redirect
        result = await self.refresh()
        if result is None:
            await self._watch([changes.ADMIN])
        return result

    @rx.event
    async def refresh(self) -> rx.event.EventSpec | None:
        """Admin-only figures; the service refuses any other role even if a browser calls this."""
        self._mark_fresh()
        try:
            _, d = await call_as_actor(self, stats.dashboard, readonly=True)
        except DomainError as exc:
            self.kpis, self.error = {}, exc.message
            return await fail(self, exc)
        assert d is not None
        self._show(d)
        return None

    def _show(self, d: stats.Dashboard) -> None:
        self.error = ""
        self.kpis = {
            "customers": str(d.customers), "pros_approved": str(d.professionals_approved),
            "pros_pending": str(d.professionals_pending), "requests_today": str(d.requests_today),
            "requested": str(d.by_status["requested"]),
            "completion": f"{d.completion_rate:.0%}" if d.completion_rate is not None else "—",
            "rating": f"{d.average_rating:.2f} ★ ({d.ratings_count})" if d.average_rating is not None
            else tr("admin_trust.no_ratings_kpi"),
            "revenue": formats.rupees(d.revenue_month_paise),
        }
        self.has_ratings = d.ratings_count > 0
        charts = dashboard_charts(d)
        self.status_chart, self.rating_chart, self.trend_chart = charts.status, charts.rating, charts.trend
        self.services_chart, self.pincodes_chart = charts.services, charts.pincodes
        self.loaded = True

    async def _on_push(self, topics: frozenset[str]) -> bool:
        try:
            _, d = await call_as_actor(self, stats.dashboard, readonly=True)
        except DomainError:
            return False  # no longer an admin: stop pushing to this tab
        if d is not None:
            self._show(d)
        return True
