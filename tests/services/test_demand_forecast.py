"""Demand forecasts (#18 part 3): non-negative with intervals holding the point, the model only where it
beat same-weekday-last-week in the backtest, admins only, and a daily job that stores rows once a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from bench.demand_data import write_requests
from hsa.models import DemandForecast, DemandSeries, Role
from hsa.services.errors import Forbidden, NotAuthenticated
from hsa.services.intelligence import demand_job, recruit
from hsa.services.intelligence.demand_backtest import Evaluation, backtest
from hsa.services.intelligence.demand_calendar import diwali_ramp, effects_for
from hsa.services.intelligence.demand_forecast import MODEL, NAIVE, flat_mean, seasonal_naive
from hsa.services.intelligence.demand_store import demand_view
from hsa.services.intelligence.demand_synth import CITIES, generate
from tests.factories import actor_for, make_service, make_user

NOW = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)  # 09:30 IST
YESTERDAY = date(2026, 12, 2)


def test_the_model_beats_seasonal_naive_on_a_planted_seasonal_series() -> None:
    (series,) = generate(end=YESTERDAY, services=("Home Cleaning",), cities={"Mumbai": CITIES["Mumbai"]})
    e = backtest(series.counts, series.days, effects_for("Home Cleaning"))
    assert e.origins == 6 and e.model_wins
    assert e.mase_model < 0.9 < e.mase_naive  # type: ignore[operator]


def test_baselines_are_non_negative_and_hold_their_point() -> None:
    rng = np.random.default_rng(3)
    for f in (seasonal_naive(rng.poisson(2, 60).astype(float)), flat_mean(np.array([0.0, 1, 0, 3]))):
        assert (f.lower >= 0).all() and (f.lower <= f.point).all() and (f.point <= f.upper).all()
    assert diwali_ramp(date(2026, 11, 7)) == 1.0 and diwali_ramp(date(2026, 11, 8)) == 0.0


def test_choice_rule_short_histories_and_a_losing_model() -> None:
    days = [YESTERDAY - timedelta(days=i) for i in range(9, -1, -1)]
    assert demand_job.choose(np.ones(10), days, ()).forecast.method == "flat_mean"
    days = [YESTERDAY - timedelta(days=i) for i in range(29, -1, -1)]
    short = demand_job.choose(np.arange(30.0) % 7, days, ())
    assert short.forecast.method == NAIVE and short.evaluation.origins == 0
    # a seasonal random walk: each day is the same weekday last week plus a step; naive is the optimal forecast
    rng = np.random.default_rng(7)
    y = np.tile([5.0, 8, 3, 9, 4, 12, 15], 60)
    for t in range(7, len(y)):
        y[t] = max(0.0, y[t - 7] + rng.choice([-2.0, 2.0]))
    days = [YESTERDAY - timedelta(days=i) for i in range(len(y) - 1, -1, -1)]
    walk = demand_job.choose(y, days, ())
    assert walk.forecast.method == (MODEL if walk.evaluation.model_wins else NAIVE)
    assert not Evaluation(origins=6, mase_model=1.2, mase_naive=1.1).model_wins


def _planted(session: Session) -> dict:
    cleaning = make_service(session, name="Home Cleaning", minutes=240)
    ac = make_service(session, name="AC Repair", minutes=90)
    customer = make_user(session)
    make_user(session, role=Role.professional, service=cleaning, pincode="400050")  # Mumbai: 1 professional
    make_user(session, role=Role.professional, service=cleaning, pincode="400050", status="blocked")  # not counted
    long = generate(end=YESTERDAY, days=420, services=("Home Cleaning",), cities={"Mumbai": CITIES["Mumbai"]})
    short = generate(end=YESTERDAY, days=20, services=("AC Repair",), cities={"Chennai": CITIES["Chennai"]})
    write_requests(session.connection(), long + short, service_ids={"Home Cleaning": cleaning.id,
                                                                     "AC Repair": ac.id}, customer_id=customer.id)
    session.commit()
    return {"admin": actor_for(session, make_user(session, role=Role.admin)),
            "customer": actor_for(session, customer), "cleaning": cleaning, "ac": ac}


def test_the_job_stores_rows_once_a_day_and_the_page_read_is_two_queries(session: Session) -> None:
    people = _planted(session)
    assert demand_job.run_daily_forecast(session=session, now=NOW)
    series = {s.city: s for s in session.exec(select(DemandSeries))}
    assert set(series) == {"Mumbai", "Chennai"}
    rows = session.exec(select(DemandForecast)).all()
    assert len(rows) == 28 and {r.day for r in rows} == {date(2026, 12, 3) + timedelta(days=h) for h in range(14)}
    assert all(0 <= r.lower <= r.point <= r.upper for r in rows)
    mumbai, chennai = series["Mumbai"], series["Chennai"]
    assert mumbai.backtest_origins > 0
    assert (mumbai.method == MODEL) == (mumbai.mase_model < mumbai.mase_naive)  # type: ignore[operator]
    assert chennai.method == NAIVE and chennai.backtest_origins == 0 and "Too little history" in chennai.note
    assert mumbai.professionals == 1 and mumbai.capacity_14d == pytest.approx(recruit.capacity(1, 240))
    assert mumbai.shortfall_14d == pytest.approx(max(0.0, mumbai.demand_14d - mumbai.capacity_14d))
    stamp = mumbai.computed_at
    assert not demand_job.run_daily_forecast(session=session, now=NOW + timedelta(hours=5))  # same IST day
    assert session.exec(select(DemandSeries).where(DemandSeries.city == "Mumbai")).one().computed_at == stamp
    assert len(session.exec(select(DemandForecast)).all()) == 28

    cleaning_id = people["cleaning"].id
    statements: list[str] = []
    engine = session.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        view = demand_view(session=session, actor=people["admin"], service_id=cleaning_id,
                           city_name="Mumbai")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 2 and not any("service_requests" in s for s in statements)
    assert view.chosen is not None and view.chosen.city == "Mumbai" and len(view.forecast) == 14
    assert view.series[0].shortfall_14d >= view.series[-1].shortfall_14d
    assert len(view.history) == 56 and view.history[-1][0] == YESTERDAY


def test_only_admins_read_forecasts(session: Session) -> None:
    customer = actor_for(session, make_user(session))
    with pytest.raises(Forbidden):
        demand_view(session=session, actor=customer)
    with pytest.raises(NotAuthenticated):
        demand_view(session=session, actor=None)
    admin = actor_for(session, make_user(session, role=Role.admin))
    assert demand_view(session=session, actor=admin).chosen is None  # nothing computed yet: an empty view
