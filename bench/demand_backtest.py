"""Backtest the demand model against "same weekday last week" on the planted-seasonal benchmark data.

    python bench/demand_backtest.py                 # 10 services x 4 cities, 2 years ending 2026-12-02

Prints, per service (averaged over its cities), the rolling-origin MASE and sMAPE of the model ("ETS with
festival regressors", hsa.services.intelligence.demand_forecast) and of seasonal-naive, how many cities
the model would be used in (it beat seasonal-naive there), and the wall time.
Data: hsa/services/intelligence/demand_synth.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hsa.services.intelligence.demand_backtest import backtest  # noqa: E402
from hsa.services.intelligence.demand_calendar import effects_for  # noqa: E402
from hsa.services.intelligence.demand_synth import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--end", default="2026-12-02", help="last day of history")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    started = time.perf_counter()
    by_service: dict[str, list] = defaultdict(list)
    for s in generate(end=date.fromisoformat(args.end), seed=args.seed):
        by_service[s.service].append(backtest(s.counts, s.days, effects_for(s.service)))
    print(f"{'service':18} {'MASE model':>10} {'MASE naive':>10} {'sMAPE model':>11} {'sMAPE naive':>11}  model used")
    for service, evals in by_service.items():
        def avg(name: str, evals: list = evals) -> float:
            return float(np.mean([getattr(e, name) for e in evals]))
        wins = sum(e.model_wins for e in evals)
        print(f"{service:18} {avg('mase_model'):10.3f} {avg('mase_naive'):10.3f} {avg('smape_model'):10.1f}% "
              f"{avg('smape_naive'):10.1f}%  {wins}/{len(evals)} cities")
    total = sum(len(v) for v in by_service.values())
    print(f"{total} series, 6 origins each, in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
