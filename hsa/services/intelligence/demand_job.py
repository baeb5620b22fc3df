"""The daily demand job: read history, forecast every service x city, backtest, choose, store.

Choice rule, per series:
- under `MIN_NAIVE_DAYS` (14) days of history: the daily average ("too little history");
- too short for a backtest (under 10 weeks): same weekday last week, untested;
- otherwise the rolling-origin backtest (demand_backtest) decides: the model ("ETS with festival
  regressors") only where its MASE beat seasonal-naive's, else "Same weekday last week". A model fit
  that fails on the full history also falls back to seasonal-naive, and the note says so.

Run from the reminder pass once a day (`run_daily_forecast`, claimed in the reminders ledger like
`prune_expired`, so one worker of many does it) and from `python -m hsa.cli forecast` (always recomputes).
The fitting happens before any write, so SQLite's write lock is held only for the short swap of rows.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from sqlmodel import Session, select

from hsa.i18n.text import msg
from hsa.models import DemandForecast, DemandSeries, Service
from hsa.services.intelligence import recruit
from hsa.services.intelligence.demand_backtest import Evaluation, backtest
from hsa.services.intelligence.demand_calendar import effects_for
from hsa.services.intelligence.demand_forecast import (
    HORIZON,
    LABELS,
    MODEL_VERSION,
    Forecast,
    ForecastFailed,
    ets_festival,
    flat_mean,
    seasonal_naive,
)
from hsa.services.intelligence.demand_store import daily_history, replace_all
from hsa.services.ledger import claim, claimed_keys
from hsa.services.scheduling import local_date

log = logging.getLogger(__name__)

HISTORY_DAYS = 730     # two years: two Diwalis, two summers, two monsoons
SHOWN_HISTORY = 56     # days of history stored for the page's chart
MIN_NAIVE_DAYS = 14
LEDGER_KIND = "demand_forecast"  # reminders_sent kind; key: the IST date


@dataclass(frozen=True)
class Choice:
    forecast: Forecast
    evaluation: Evaluation
    note: str  # a message: stored in English, said on the page in the admin's language


def choose(y: np.ndarray, days: list[date], effects: tuple[str, ...]) -> Choice:
    """The forecast to store for one series, by the rule in the module docstring."""
    if len(y) < MIN_NAIVE_DAYS:
        return Choice(flat_mean(y), Evaluation(origins=0), msg("svc_admin.note_daily_average", days=len(y)))
    evaluation = backtest(y, days, effects)
    naive = seasonal_naive(y)
    if evaluation.origins == 0:
        return Choice(naive, evaluation, msg("svc_admin.note_no_backtest", days=len(y)))
    if not evaluation.model_wins:
        return Choice(naive, evaluation, msg("svc_admin.note_model_lost"))
    try:
        return Choice(ets_festival(y, days, effects), evaluation, msg("svc_admin.note_model_won"))
    except ForecastFailed as exc:
        return Choice(naive, evaluation, msg("svc_admin.note_fit_failed", error=str(exc)))


def _series(counts: dict[date, int], until: date) -> tuple[np.ndarray, list[date]]:
    """Daily counts from the first request seen to `until`, days without requests as 0."""
    start = min(counts)
    days = [start + timedelta(days=i) for i in range((until - start).days + 1)]
    return np.array([counts.get(d, 0) for d in days], dtype=float), days


def compute(session: Session, *, now: datetime) -> tuple[list[DemandSeries], list[DemandForecast]]:
    """Every series' rows, unsaved (reads only). Forecast days: today and the 13 after (IST)."""
    today = local_date(now)
    until = today - timedelta(days=1)  # today is not over: its count would look like a slump
    history = daily_history(session, since=today - timedelta(days=HISTORY_DAYS), until=until)
    services = {s.id: s for s in session.exec(select(Service))}
    pros = recruit.active_professionals(session)
    session.rollback()  # end the read transaction before the long part
    series_rows, forecast_rows = [], []
    for (service_id, city), counts in sorted(history.items()):
        service = services.get(service_id)
        if service is None:
            continue
        y, days = _series(counts, until)
        choice = choose(y, days, effects_for(service.name))
        f = choice.forecast
        label = LABELS[f.method]
        gap = recruit.gap(float(f.point.sum()), pros.get((service_id, city), 0), service.duration_minutes)
        e = choice.evaluation
        shown = y[-SHOWN_HISTORY:]
        series_rows.append(DemandSeries(
            service_id=service_id, service_name=service.name, city=city, method=f.method, method_label=label,
            note=choice.note, model_version=MODEL_VERSION, history_days=len(y), backtest_origins=e.origins,
            mase_model=e.mase_model, mase_naive=e.mase_naive, smape_model=e.smape_model, smape_naive=e.smape_naive,
            history_start=days[-len(shown)], history=json.dumps([int(c) for c in shown]),
            demand_14d=gap.demand, professionals=gap.professionals, capacity_14d=gap.capacity,
            shortfall_14d=gap.shortfall, recruit=gap.recruit, computed_at=now))
        forecast_rows += [DemandForecast(service_id=service_id, city=city, day=today + timedelta(days=h),
                                         point=float(f.point[h]), lower=float(f.lower[h]), upper=float(f.upper[h]),
                                         method=f.method, method_label=label, model_version=MODEL_VERSION,
                                         computed_at=now) for h in range(HORIZON)]
    return series_rows, forecast_rows


def run_forecasts(*, session: Session, now: datetime) -> int:
    """Compute and store every series now (the CLI); returns how many series were stored."""
    started = time.perf_counter()
    series, forecasts = compute(session, now=now)
    replace_all(session, series, forecasts)
    session.commit()
    log.info("demand forecasts: %s series in %.1f s", len(series), time.perf_counter() - started)
    return len(series)


def run_daily_forecast(*, session: Session, now: datetime) -> bool:
    """Once per IST day, on one worker: True when this call computed and stored today's forecasts.

    The ledger is checked before the fitting (a cheap skip for every later pass) and claimed in the
    same transaction as the rows are swapped, so a failure leaves the day unclaimed for the next pass."""
    key = local_date(now).isoformat()
    if claimed_keys(session, LEDGER_KIND, [key]):
        session.rollback()
        return False
    started = time.perf_counter()
    series, forecasts = compute(session, now=now)
    if claim(session, kind=LEDGER_KIND, key=key, now=now) is None:  # another worker finished first
        session.rollback()
        return False
    replace_all(session, series, forecasts)
    session.commit()
    log.info("daily demand forecasts: %s series in %.1f s", len(series), time.perf_counter() - started)
    return True


__all__ = ["LEDGER_KIND", "Choice", "choose", "compute", "run_daily_forecast", "run_forecasts"]
