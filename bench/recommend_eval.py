"""Offline evaluation of "Recommended for you" (#18) on generated histories (bench/recommend_data.py).

    python bench/recommend_eval.py --seed 2                 # the reported run
    python bench/recommend_eval.py --seed 1 --tune          # how the blend's weights were chosen

Time split: fit on the bookings before day `--cutoff` (of 365), then for every customer who books
after it, predict 5 professionals and compare them with the professionals they did book after it.
Precision@5, recall@5 and NDCG@5 (binary relevance), averaged over those customers, for:

- **recommender**: `recommend_model.fit` + `recommend_model.recommend`, the very functions the app
  calls (hsa/services/intelligence/recommend.py), candidates in the search's order;
- **ranking**: the current search ranking, `search.rank_score` (shrunk rating from the ratings given
  before the cut-off, minus distance / 50 km), ties as search breaks them;
- **pincode**: the professionals most booked by customers of the same pincode before the cut-off
  (ties: the ranking).

Every method sees the same candidates: the professionals whose own radius reaches the customer's
pincode (search's rule). The customers are split into those with bookings before the cut-off
("returning") and those without ("new").
"""

from __future__ import annotations

import argparse
import itertools
import math
import platform
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.recommend_data import Data, Params, generate  # noqa: E402
from hsa.services.intelligence import recommend_model as rm  # noqa: E402
from hsa.services.search import rank_score  # noqa: E402

K = 5
Predict = Callable[[int, str, list[rm.Candidate]], list[int]]


def _metrics(predicted: list[int], relevant: set[int]) -> tuple[float, float, float]:
    hits = [1.0 if p in relevant else 0.0 for p in predicted[:K]]
    dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits))
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(K, len(relevant))))
    return sum(hits) / K, sum(hits) / len(relevant), dcg / ideal if ideal else 0.0


def split(data: Data, cutoff: int) -> tuple[rm.BookingLog, dict[int, set[int]]]:
    """The training log (before `cutoff`, oldest first) and each customer's professionals after it."""
    train = data.b_day < cutoff
    pins = [data.customer_pincode[c - 1] for c in data.b_customer[train].tolist()]
    log = rm.BookingLog(customer=data.b_customer[train], pro=data.b_pro[train], rating=data.b_rating[train],
                        pincode=pins)
    after: dict[int, set[int]] = defaultdict(set)
    for c, p in zip(data.b_customer[~train].tolist(), data.b_pro[~train].tolist(), strict=True):
        after[c].add(p)
    return log, dict(after)


def candidates_by_pincode(data: Data, log: rm.BookingLog) -> dict[str, list[rm.Candidate]]:
    """Per pincode, the professionals in reach scored by the search ranking, in the search's order."""
    sums: Counter[int] = Counter()
    counts: Counter[int] = Counter()
    for p, r in zip(log.pro.tolist(), log.rating.tolist(), strict=True):
        if r:
            sums[p] += r
            counts[p] += 1
    out = {}
    for pin in data.pincodes:
        rows = []
        for j in range(len(data.pro_pincode)):
            km = data.distance[(pin, data.pro_pincode[j])]
            if km <= data.pro_radius[j]:
                pro = j + 1
                rows.append((-rank_score(sums[pro], counts[pro], km), round(km, 1), -counts[pro], pro))
        rows.sort()
        out[pin] = [rm.Candidate(pro, -score) for score, _, _, pro in rows]
    return out


@dataclass
class Setup:
    """What every method is evaluated on: one fit, one candidate list per pincode, the answers."""

    data: Data
    model: rm.Model
    candidates: dict[str, list[rm.Candidate]]
    local: dict[str, Counter[int]]
    after: dict[int, set[int]]
    fit_seconds: float
    train_bookings: int


def prepare(data: Data, cutoff: int) -> Setup:
    log, after = split(data, cutoff)
    started = time.perf_counter()
    model = rm.fit(log)
    fit_seconds = time.perf_counter() - started
    local: dict[str, Counter[int]] = defaultdict(Counter)
    for p, pin in zip(log.pro.tolist(), log.pincode, strict=True):
        local[pin][p] += 1
    return Setup(data, model, candidates_by_pincode(data, log), local, after, fit_seconds, len(log.pro))


def methods(setup: Setup, weights: rm.Weights | None = None) -> dict[str, Predict]:
    def recommender(c: int, pin: str, cs: list[rm.Candidate], w: rm.Weights | None = weights) -> list[int]:
        return [p.pro_id for p in rm.recommend(setup.model, customer=c, pincode=pin, candidates=cs, limit=K,
                                                weights=w)]

    def no_similarity(c: int, pin: str, cs: list[rm.Candidate]) -> list[int]:
        return recommender(c, pin, cs, replace(weights or rm.Weights(), similar=0.0))

    def ranking(_c: int, _pin: str, cs: list[rm.Candidate]) -> list[int]:
        return [x.pro_id for x in cs[:K]]

    def pincode(_c: int, pin: str, cs: list[rm.Candidate]) -> list[int]:
        order = {x.pro_id: i for i, x in enumerate(cs)}
        return sorted(order, key=lambda p: (-setup.local[pin][p], order[p]))[:K]

    return {"recommender": recommender, "ranking": ranking, "pincode": pincode,
            "recommender without item-kNN": no_similarity}


def evaluate(setup: Setup, chosen: dict[str, Predict]) -> dict[str, dict[str, tuple]]:
    """Mean (customers, precision@5, recall@5, NDCG@5) per method and group. "discovery": returning
    customers who booked someone new after the cut-off, only those new professionals counting."""
    scores: dict[str, dict[str, list]] = {m: defaultdict(list) for m in chosen}
    for c, relevant in sorted(setup.after.items()):
        pin = setup.data.customer_pincode[c - 1]
        known = setup.model.history.get(c, {})
        group = "returning" if known else "new"
        fresh = relevant - set(known)
        for name, predict in chosen.items():
            predicted = predict(c, pin, setup.candidates[pin])
            m = _metrics(predicted, relevant)
            scores[name][group].append(m)
            scores[name]["all"].append(m)
            if known and fresh:
                scores[name]["discovery"].append(_metrics(predicted, fresh))
    return {name: {g: (len(v), *np.mean(np.array(v), axis=0).tolist()) for g, v in groups.items()}
            for name, groups in scores.items()}


def tune(setup: Setup) -> rm.Weights:
    """A small grid on this dataset's NDCG@5 (use a different seed for the reported figures)."""
    best, best_ndcg = rm.Weights(), -1.0
    for similar, local, ranked, past in itertools.product((0.5, 1.0), (0.3, 0.7, 1.2), (0.2, 0.4, 0.8), (0.5, 0.9)):
        w = rm.Weights(similar=similar, local=local, ranked=ranked, past=past)
        ndcg = evaluate(setup, {"r": methods(setup, w)["recommender"]})["r"]["all"][3]
        print(f"  {w}: NDCG@5 {ndcg:.4f}")
        if ndcg > best_ndcg:
            best, best_ndcg = w, ndcg
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--cutoff", type=int, default=300)
    parser.add_argument("--customers", type=int)
    parser.add_argument("--tune", action="store_true")
    args = parser.parse_args()
    params = Params(seed=args.seed)
    if args.customers:
        params = replace(params, customers=args.customers)
    data = generate(params)
    print(f"python {platform.python_version()} on {platform.platform()}; {params}")
    setup = prepare(data, args.cutoff)
    if args.tune:
        print(f"best: {tune(setup)}")
        return
    started = time.perf_counter()
    chosen = methods(setup)
    result = evaluate(setup, chosen)
    per_call = (time.perf_counter() - started) / max(len(setup.after), 1) / len(chosen) * 1000
    print(f"{setup.train_bookings:,} bookings before day {args.cutoff}; fit {setup.fit_seconds:.2f} s; "
          f"{per_call:.2f} ms per customer and method")
    print("| group | method | customers | precision@5 | recall@5 | NDCG@5 |")
    print("|---|---|---:|---:|---:|---:|")
    for group in ("all", "returning", "new", "discovery"):
        for name, groups in result.items():
            n, precision, recall, ndcg = groups[group]
            print(f"| {group} | {name} | {n:,} | {precision:.3f} | {recall:.3f} | {ndcg:.3f} |")

if __name__ == "__main__":
    main()
