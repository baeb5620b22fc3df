"""Daily request forecasts for one service in one city: the model, two baselines, and their intervals.

The model ("ETS with festival regressors"): counts are modelled as log(1 + y), where a weekly pattern
and calendar effects multiply rather than add. First an ordinary least-squares fit over the whole history
of log(1 + y) on a trend, the weekday and the service's calendar regressors (hsa.services.intelligence.
demand_calendar) measures each festival/season effect; that effect is taken out, and an ETS model
(statsmodels ETSModel(A,N,A): additive error, no trend of its own, additive weekly season, heuristic
initial states) is fitted to the last six months of what remains; its level follows the recent trend,
and leaving out the trend and the estimated initial states makes a fit about six times faster (0.06 s)
with about the same in-sample AIC on the benchmark series. The forecast is the ETS forecast with the
calendar effects of the days ahead put back, turned back into counts. ETS gives the 80 % prediction
interval; the point is the median (what absolute-error measures such as MASE reward).

The baselines: "Same weekday last week" (seasonal naive, the yardstick of the backtest) and, for a series
with under two weeks of history, the daily average. Every forecast is non-negative and its interval
contains its point.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from scipy import stats

from hsa.services.intelligence.demand_calendar import regressor_matrix

HORIZON = 14          # days ahead
SEASON = 7            # weekly cycle
LEVEL = 0.80          # prediction interval
ETS_WINDOW = 182      # days of (calendar-adjusted) history the ETS part sees: level, trend and week move
MIN_MODEL_DAYS = 28   # the model needs four weeks to fit a weekly season at all

MODEL = "ets_festival"
NAIVE = "seasonal_naive"
MEAN = "flat_mean"
LABELS = {MODEL: "ETS with festival regressors", NAIVE: "Same weekday last week", MEAN: "Daily average"}
MODEL_VERSION = "ets-festival-1"  # bump when the model or its inputs change (stored with every forecast)


class ForecastFailed(Exception):
    """The model could not be fitted (too short, degenerate, or statsmodels gave up): use a baseline."""


@dataclass(frozen=True)
class Forecast:
    """`HORIZON` days ahead: point and 80 % interval per day, and which method made them."""

    point: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    method: str

    @property
    def label(self) -> str:
        return LABELS[self.method]


def _tidy(point: np.ndarray, lower: np.ndarray, upper: np.ndarray, method: str) -> Forecast:
    """Counts cannot be negative and the interval must hold the point, whatever the arithmetic did."""
    point = np.clip(np.nan_to_num(point, nan=0.0), 0.0, None)
    lower = np.minimum(np.clip(np.nan_to_num(lower, nan=0.0), 0.0, None), point)
    upper = np.maximum(np.nan_to_num(upper, nan=0.0), point)
    return Forecast(point=point, lower=lower, upper=upper, method=method)


def seasonal_naive(y: np.ndarray, horizon: int = HORIZON) -> Forecast:
    """Each day ahead = the same weekday of the last week seen. The interval comes from how far a day
    has differed from the same weekday a week before (empirical 10th/90th percentiles over the last
    six months), widened by sqrt(weeks ahead)."""
    y = np.asarray(y, dtype=float)
    if len(y) < SEASON:
        raise ValueError("seasonal naive needs a week of history")
    last_week = y[-SEASON:]
    point = np.array([last_week[h % SEASON] for h in range(horizon)])
    recent = y[-ETS_WINDOW - SEASON:]
    diffs = recent[SEASON:] - recent[:-SEASON]
    low_q, high_q = (np.quantile(diffs, [(1 - LEVEL) / 2, (1 + LEVEL) / 2]) if len(diffs) else (0.0, 0.0))
    widen = np.sqrt(np.array([h // SEASON + 1 for h in range(horizon)], dtype=float))
    return _tidy(point, point + min(low_q, 0.0) * widen, point + max(high_q, 0.0) * widen, NAIVE)


def flat_mean(y: np.ndarray, horizon: int = HORIZON) -> Forecast:
    """The daily average of what history there is, with a Poisson interval around it."""
    mean = float(np.mean(y)) if len(y) else 0.0
    point = np.full(horizon, mean)
    low, high = stats.poisson.ppf([(1 - LEVEL) / 2, (1 + LEVEL) / 2], mean) if mean > 0 else (0.0, 0.0)
    return _tidy(point, np.full(horizon, low), np.full(horizon, high), MEAN)


def _design(days: Sequence[date], origin: date, names: Sequence[str]) -> np.ndarray:
    """Intercept, trend (years from `origin`), six weekday dummies and the calendar regressors."""
    trend = np.array([(d - origin).days / 365.0 for d in days])
    weekday = np.array([[1.0 if d.weekday() == k else 0.0 for k in range(1, 7)] for d in days]).reshape(len(days), 6)
    return np.column_stack([np.ones(len(days)), trend, weekday, regressor_matrix(days, names)])


def ets_festival(y: np.ndarray, days: Sequence[date], effects: Sequence[str], horizon: int = HORIZON) -> Forecast:
    """The model (see the module docstring). `days` are the dates of `y`, consecutive, oldest first."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = np.asarray(y, dtype=float)
    if len(y) < MIN_MODEL_DAYS or len(days) != len(y):
        raise ForecastFailed("too little history")
    z = np.log1p(y)
    future = [days[-1] + timedelta(days=h + 1) for h in range(horizon)]
    # only the calendar effects that history shows both on and off can be measured
    names = [n for n in effects if np.ptp(regressor_matrix(days, [n])) > 0]
    design = _design(days, days[0], names)
    beta, *_ = np.linalg.lstsq(design, z, rcond=None)
    effect = beta[8:]
    past_shift = regressor_matrix(days, names) @ effect
    future_shift = regressor_matrix(future, names) @ effect
    window = (z - past_shift)[-ETS_WINDOW:]
    if np.ptp(window) == 0:  # a constant series: ETS is undefined, the forecast is that constant
        raise ForecastFailed("constant series")
    series = pd.Series(window, index=pd.RangeIndex(len(window)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter; a bad fit is caught below
            fitted = ETSModel(series, error="add", trend=None, seasonal="add", seasonal_periods=SEASON,
                              initialization_method="heuristic").fit(disp=False, maxiter=200)
            frame = fitted.get_prediction(start=len(window), end=len(window) + horizon - 1).summary_frame(
                alpha=1 - LEVEL)
    except (ValueError, np.linalg.LinAlgError) as exc:
        raise ForecastFailed(str(exc)) from exc
    mean, low, high = (frame[c].to_numpy() + future_shift for c in ("mean", "pi_lower", "pi_upper"))
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(low)) and np.all(np.isfinite(high))):
        raise ForecastFailed("non-finite forecast")
    ceiling = math.log1p(10 * max(float(y.max()), 1.0))  # an exploding trend is a failed fit, not a forecast
    if float(np.max(mean)) > ceiling:
        raise ForecastFailed("forecast ran away")
    return _tidy(np.expm1(mean), np.expm1(low), np.expm1(np.minimum(high, ceiling)), MODEL)


__all__ = ["HORIZON", "LABELS", "MEAN", "MODEL", "MODEL_VERSION", "NAIVE", "Forecast", "ForecastFailed",
           "ets_festival", "flat_mean", "seasonal_naive"]
