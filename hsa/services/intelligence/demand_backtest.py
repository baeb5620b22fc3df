"""Rolling-origin backtest of the demand model against "same weekday last week".

A forecast method earns its place only by beating the naive answer on days it did not see. From up to
six origins spread over the last year (every eight weeks when history allows, so summer, monsoon and
Diwali each fall in some test window), both methods forecast the next 14 days from the history before
the origin, and are scored on what happened:

- MASE: mean absolute error divided by the in-sample error of the seasonal-naive method (lag 7) on the
  training part; below 1 beats a naive forecast made in hindsight. Averaged over origins.
- sMAPE: mean of 2|F - A| / (|F| + |A|) in percent (0 to 200), a day with F = A = 0 counting as 0.

The model is used for a series only where its MASE is lower than seasonal-naive's (demand_job).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from hsa.services.intelligence.demand_forecast import (
    HORIZON,
    MIN_MODEL_DAYS,
    SEASON,
    ForecastFailed,
    ets_festival,
    seasonal_naive,
)

ORIGINS = 6
MAX_STEP = 56      # eight weeks between origins at most
MIN_TRAIN = 56     # each origin sees at least eight weeks (the model needs MIN_MODEL_DAYS)


@dataclass(frozen=True)
class Evaluation:
    """The backtest's verdict on one series; all None when there was too little history to test."""

    origins: int
    mase_model: float | None = None
    mase_naive: float | None = None
    smape_model: float | None = None
    smape_naive: float | None = None

    @property
    def model_wins(self) -> bool:
        """The rule: the model only where it beat seasonal-naive (lower MASE) out of sample."""
        return (self.mase_model is not None and self.mase_naive is not None
                and self.mase_model < self.mase_naive)


def origins_for(n: int, horizon: int = HORIZON) -> list[int]:
    """Indices where training ends (the test is [origin, origin + horizon)), oldest first."""
    last = n - horizon
    if last < max(MIN_TRAIN, MIN_MODEL_DAYS):
        return []
    step = max(horizon, min(MAX_STEP, (last - MIN_TRAIN) // (ORIGINS - 1) if ORIGINS > 1 else MAX_STEP))
    found = [last - i * step for i in range(ORIGINS)]
    return sorted(o for o in found if o >= MIN_TRAIN)


def mase(actual: np.ndarray, forecast: np.ndarray, train: np.ndarray) -> float | None:
    """MAE scaled by the training part's seasonal-naive MAE; None when that scale is 0 (a flat week)."""
    scale = float(np.mean(np.abs(train[SEASON:] - train[:-SEASON]))) if len(train) > SEASON else 0.0
    if scale == 0:
        return None
    return float(np.mean(np.abs(actual - forecast))) / scale


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Symmetric MAPE in percent, 0/0 counting as a perfect day."""
    denominator = np.abs(actual) + np.abs(forecast)
    ratio = np.divide(2 * np.abs(forecast - actual), denominator, out=np.zeros_like(denominator),
                      where=denominator > 0)
    return float(np.mean(ratio) * 100)


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def backtest(y: np.ndarray, days: Sequence[date], effects: Sequence[str], horizon: int = HORIZON) -> Evaluation:
    """Score the model and seasonal-naive from each origin; a failed model fit scores as seasonal-naive
    (what would have been shown), so a fragile model cannot win."""
    y = np.asarray(y, dtype=float)
    origins = origins_for(len(y), horizon)
    scores: dict[str, list[float]] = {"mm": [], "mn": [], "sm": [], "sn": []}
    for origin in origins:
        train, actual = y[:origin], y[origin:origin + horizon]
        naive = seasonal_naive(train, horizon).point
        try:
            model = ets_festival(train, days[:origin], effects, horizon).point
        except ForecastFailed:
            model = naive
        m_model, m_naive = mase(actual, model, train), mase(actual, naive, train)
        if m_model is not None and m_naive is not None:
            scores["mm"].append(m_model)
            scores["mn"].append(m_naive)
        scores["sm"].append(smape(actual, model))
        scores["sn"].append(smape(actual, naive))
    if not origins:
        return Evaluation(origins=0)
    return Evaluation(origins=len(origins), mase_model=_mean(scores["mm"]), mase_naive=_mean(scores["mn"]),
                      smape_model=_mean(scores["sm"]), smape_naive=_mean(scores["sn"]))


__all__ = ["Evaluation", "backtest", "mase", "origins_for", "smape"]
