"""Reading history from bookings, writing the job's results, and the admin page's read of them.

History is the number of requests *made* (created, by IST day) per service per city, whatever became of
them: a request nobody took or the customer cancelled was still demand. The city is the request's
pincode's (hsa.services.pincodes.city); pincodes with no known city are left out.

The page's read (`demand_view`) is two indexed queries over stored rows and never touches the bookings
or fits anything: the forecasts are computed by the daily job (hsa.services.intelligence.demand_job).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from hsa.models import DemandForecast, DemandSeries, Service, ServiceRequest
from hsa.services.actors import Actor
from hsa.services.intelligence.demand_history import imported_counts
from hsa.services.money.finance import day_start, ist_day
from hsa.services.permissions import require_admin
from hsa.services.pincodes import city
from hsa.services.service_names import localized

History = dict[tuple[int, str], dict[date, int]]


def daily_history(session: Session, *, since: date, until: date) -> History:
    """Requests made per (service id, city) per IST day, `since` to `until` inclusive (one grouped query),
    plus the imported past demand for those days (hsa.services.intelligence.demand_history)."""

    day = ist_day(session, ServiceRequest.created_at).label("day")
    rows = session.exec(
        select(ServiceRequest.service_id, ServiceRequest.pincode, day, func.count())
        .where(col(ServiceRequest.created_at) >= day_start(since),
               col(ServiceRequest.created_at) < day_start(until + timedelta(days=1)))
        .group_by(ServiceRequest.service_id, ServiceRequest.pincode, day)
    ).all()
    found: History = defaultdict(lambda: defaultdict(int))
    for service_id, pincode, when, count in rows:
        place = city(pincode)
        if place:
            found[(service_id, place)][when if isinstance(when, date) else date.fromisoformat(str(when))] += count
    for service_id, place, when, count in imported_counts(session, since=since, until=until):
        found[(service_id, place)][when] += count
    return found


def replace_all(session: Session, series: Iterable[DemandSeries], forecasts: Iterable[DemandForecast]) -> None:
    """Swap yesterday's results for today's in the caller's transaction (readers see one or the other)."""
    session.exec(delete(DemandForecast))
    session.exec(delete(DemandSeries))
    session.add_all(list(series))
    session.add_all(list(forecasts))


# ------------------------------------------------------------------ the admin page's read


@dataclass(frozen=True)
class SeriesRow:
    """One service x city as the recruit table and the selectors show it."""

    service_id: int
    service: str               # Localized: the name in the reader's language
    city: str
    method_label: str
    note: str
    demand_14d: float
    professionals: int
    capacity_14d: float
    shortfall_14d: float
    recruit: int


@dataclass(frozen=True)
class DayPoint:
    day: date
    point: float
    lower: float
    upper: float


@dataclass(frozen=True)
class DemandView:
    """Everything the page shows; `chosen` is None when nothing has been computed yet."""

    series: list[SeriesRow]                 # highest shortfall first
    chosen: SeriesRow | None
    history: list[tuple[date, int]]         # the chosen series' last weeks, oldest first
    forecast: list[DayPoint]                # the chosen series' 14 days ahead
    computed_at: datetime | None
    model_version: str
    backtest: dict[str, float | None]       # mase_model, mase_naive, smape_model, smape_naive


def _row(s: DemandSeries, names: dict[int, dict | None]) -> SeriesRow:
    """`names`: each service's translations, so its name is said in the reader's language."""
    return SeriesRow(service_id=s.service_id, service=localized(s.service_name, names.get(s.service_id)), city=s.city,
                     method_label=s.method_label, note=s.note, demand_14d=s.demand_14d, professionals=s.professionals,
                     capacity_14d=s.capacity_14d, shortfall_14d=s.shortfall_14d, recruit=s.recruit)


def demand_view(*, session: Session, actor: Actor | None, service_id: int | None = None,
                city_name: str | None = None) -> DemandView:
    """Admins only. The stored series (recruit table), and one series' history and forecast: the one
    asked for, else the city with the largest shortfall for that service, else the largest overall."""
    require_admin(actor)
    found = session.exec(select(DemandSeries, Service.translations)  # the names' translations, same query
                         .join(Service, col(Service.id) == DemandSeries.service_id, isouter=True).order_by(
        col(DemandSeries.shortfall_14d).desc(), col(DemandSeries.demand_14d).desc(), DemandSeries.id)).all()
    stored = [row for row, _ in found]
    names = {row.service_id: translations for row, translations in found}
    pick = next((s for s in stored if s.service_id == service_id and s.city == city_name), None)
    pick = pick or next((s for s in stored if s.service_id == service_id), None)
    pick = pick or (stored[0] if stored else None)
    if pick is None:
        return DemandView(series=[], chosen=None, history=[], forecast=[], computed_at=None, model_version="",
                          backtest={})
    days = session.exec(select(DemandForecast).where(DemandForecast.service_id == pick.service_id,
                                                     DemandForecast.city == pick.city)
                        .order_by(DemandForecast.day)).all()
    counts = json.loads(pick.history or "[]")
    history = [(pick.history_start + timedelta(days=i), int(c)) for i, c in enumerate(counts)]
    return DemandView(
        series=[_row(s, names) for s in stored], chosen=_row(pick, names), history=history,
        forecast=[DayPoint(day=d.day, point=d.point, lower=d.lower, upper=d.upper) for d in days],
        computed_at=pick.computed_at, model_version=pick.model_version,
        backtest={"mase_model": pick.mase_model, "mase_naive": pick.mase_naive, "smape_model": pick.smape_model,
                  "smape_naive": pick.smape_naive})


__all__ = ["DayPoint", "DemandView", "SeriesRow", "daily_history", "demand_view", "replace_all"]
