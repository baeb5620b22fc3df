"""Stored demand forecasts (issue #18): computed once a day by a job, read by the admin Demand page.

The page never fits anything: it reads these rows. `DemandForecast` is one service x city x day ahead
(point and 80 % interval, and which method made it); `DemandSeries` is one service x city: the method
shown and why (the backtest's figures), the recent history the chart draws, and the "where to recruit"
figures (14-day demand against the capacity of the professionals there).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from hsa.models.common import ts_column, utcnow


class DemandForecast(SQLModel, table=True):
    __tablename__ = "demand_forecasts"
    __table_args__ = (sa.UniqueConstraint("service_id", "city", "day", name="uq_demand_forecasts_series_day"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="services.id")
    city: str = Field(max_length=60)
    day: date                              # IST calendar day
    point: float                           # requests expected that day (median)
    lower: float                           # 80 % prediction interval
    upper: float
    method: str = Field(max_length=32)     # hsa.services.intelligence.demand_forecast: ets_festival, ...
    method_label: str = Field(max_length=60)  # "ETS with festival regressors" / "Same weekday last week"
    model_version: str = Field(max_length=32)
    computed_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))


class DemandSeries(SQLModel, table=True):
    __tablename__ = "demand_series"
    __table_args__ = (sa.UniqueConstraint("service_id", "city", name="uq_demand_series_service_city"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="services.id")
    service_name: str = Field(max_length=80)   # as the catalog named it when computed
    city: str = Field(max_length=60)
    method: str = Field(max_length=32)
    method_label: str = Field(max_length=60)
    note: str = Field(default="", max_length=200)  # why this method ("beat same weekday last week in the backtest")
    model_version: str = Field(max_length=32)
    history_days: int                               # days of history the forecast saw
    # rolling-origin backtest (hsa.services.intelligence.demand_backtest); None: too little history to test
    backtest_origins: int = Field(default=0)
    mase_model: float | None = Field(default=None)
    mase_naive: float | None = Field(default=None)
    smape_model: float | None = Field(default=None)
    smape_naive: float | None = Field(default=None)
    history_start: date                             # first day of `history`
    history: str = Field(default="[]", max_length=2000)  # JSON list: requests per day, the last 8 weeks
    # where to recruit (hsa.services.intelligence.recruit)
    demand_14d: float = Field(default=0.0)
    professionals: int = Field(default=0)
    capacity_14d: float = Field(default=0.0)
    shortfall_14d: float = Field(default=0.0)
    recruit: int = Field(default=0)                 # professionals to add to cover the shortfall
    computed_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))


class DemandHistory(SQLModel, table=True):
    """Past demand that did not come through this app: a city's call-centre or previous system's daily
    counts, imported with `python -m hsa.cli import-demand FILE.csv` (and the demo's planted two years).
    The forecast job adds these to the requests made here, day by day."""

    __tablename__ = "demand_history"
    __table_args__ = (sa.UniqueConstraint("service_id", "city", "day", "source", name="uq_demand_history_day"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="services.id")
    city: str = Field(max_length=60)
    day: date                              # IST calendar day
    requests: int                          # requests made that day
    source: str = Field(max_length=60)     # the file's name, or "demo"; re-importing a source replaces its days
    imported_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(nullable=False))
