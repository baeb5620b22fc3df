"""Generated booking histories with planted structure, for the recommender's offline evaluation.

    python bench/recommend_data.py --seed 2          # prints the parameters and a few counts

What is planted (each with its parameter in `Params`), so that what the evaluation measures is
something real data plausibly holds, and so a reader can judge how kind the data is to each method:

- **Quality differences**: each professional has a quality q ~ N(0, quality_sd); their mean rating
  is 4.3 + q (clipped to 2.5..5), each rating N(mean, rating_sd) rounded to 1..5, given with
  probability rate_share. Better professionals are also chosen more (quality_weight).
- **Rebooking**: a customer who rated their last professional for a service >= 4 books them again
  with probability rebook_good (rebook_unrated when they left no rating); never one they rated <= 3.
- **Neighbourhood effects**: in each pincode, for each service, local_favourites of the
  professionals in reach are the neighbourhood's word-of-mouth favourites (+local_boost).
- **Tastes across services**: customers and professionals belong to one of `segments` (a price or
  style tier); a professional of the customer's segment gets +segment_boost, in every service.
  Co-booking carries this across services; neither the rating nor the pincode does.
- **Distance**: every professional has a service radius (radii) around their pincode and is only
  chosen within it; each km costs 1 / km_scale of utility.
- **Activity**: each customer's yearly bookings ~ Poisson(Gamma(activity_shape, mean/shape)), at
  uniform days over `days`; the service of each follows their own Dirichlet(service_alpha) taste.

Choice: a softmax (Gumbel noise) over the utilities of the professionals of that service in reach.
Pincodes are the `pincodes` nearest Koramangala with known centroids (bench/generate.metro_pincodes).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


@dataclass(frozen=True)
class Params:
    seed: int = 1
    customers: int = 4_000
    pros: int = 400
    services: int = 8
    pincodes: int = 120
    days: int = 365
    bookings_mean: float = 5.0
    activity_shape: float = 1.5
    service_alpha: float = 0.4
    quality_sd: float = 0.4
    quality_weight: float = 1.5
    rating_sd: float = 0.6
    rate_share: float = 0.65
    rebook_good: float = 0.55
    rebook_unrated: float = 0.25
    local_favourites: int = 2
    local_boost: float = 1.5
    segments: int = 3
    segment_boost: float = 1.0
    km_scale: float = 4.0
    radii: tuple[int, ...] = (5, 10, 15, 15, 25)


@dataclass
class Data:
    params: Params
    pincodes: list[str]
    pro_service: np.ndarray      # per professional (id = index + 1)
    pro_pincode: list[str]
    pro_radius: np.ndarray
    pro_quality: np.ndarray
    customer_pincode: list[str]  # per customer (id = index + 1)
    # bookings, sorted by day
    b_customer: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    b_pro: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    b_rating: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    b_day: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    distance: dict[tuple[str, str], float] = field(default_factory=dict)  # (pincode, pincode) -> km


def _distances(pins: list[str]) -> dict[tuple[str, str], float]:
    from hsa.services.pincodes import centroid, haversine_km

    points = {p: centroid(p) for p in pins}
    return {(a, b): haversine_km(points[a], points[b]) for a in pins for b in pins}  # type: ignore[arg-type]


def generate(p: Params) -> Data:
    """One dataset; the same `Params` (seed included) always give the same bookings."""
    from bench.generate import metro_pincodes

    rng = np.random.default_rng(p.seed)
    pins = metro_pincodes(p.pincodes)
    dist = _distances(pins)
    pro_service = rng.integers(0, p.services, p.pros)
    pro_pin = [pins[i] for i in rng.integers(0, len(pins), p.pros)]
    pro_radius = rng.choice(np.array(p.radii), p.pros)
    quality = rng.normal(0.0, p.quality_sd, p.pros)
    mean_rating = np.clip(4.3 + quality, 2.5, 5.0)
    pro_segment = rng.integers(0, p.segments, p.pros)
    cust_pin = [pins[i] for i in rng.integers(0, len(pins), p.customers)]
    cust_segment = rng.integers(0, p.segments, p.customers)
    taste = rng.dirichlet(np.full(p.services, p.service_alpha), p.customers)
    activity = rng.gamma(p.activity_shape, p.bookings_mean / p.activity_shape, p.customers)

    reach: dict[tuple[str, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}  # (pincode, service) -> pros
    for pin in pins:
        for s in range(p.services):
            ids = np.array([j for j in range(p.pros) if pro_service[j] == s
                            and dist[(pin, pro_pin[j])] <= pro_radius[j]], dtype=np.int64)
            km = np.array([dist[(pin, pro_pin[j])] for j in ids])
            boost = np.zeros(len(ids))
            if len(ids):
                boost[rng.choice(len(ids), min(p.local_favourites, len(ids)), replace=False)] = p.local_boost
            reach[(pin, s)] = (ids, km, p.quality_weight * quality[ids] + boost - km / p.km_scale)

    events = []
    for c in range(p.customers):
        n = rng.poisson(activity[c])
        days = np.sort(rng.integers(0, p.days, n))
        last: dict[int, tuple[int, int]] = {}   # service -> (pro, rating)
        disliked: set[int] = set()
        for day in days:
            s = int(rng.choice(p.services, p=taste[c]))
            ids, _km, base = reach[(cust_pin[c], s)]
            if not len(ids):
                continue
            before = last.get(s)
            chosen = None
            if before is not None and before[0] not in disliked:
                stay = p.rebook_good if before[1] >= 4 else p.rebook_unrated if before[1] == 0 else 0.0
                if rng.random() < stay:
                    chosen = before[0]
            if chosen is None:
                utility = base + p.segment_boost * (pro_segment[ids] == cust_segment[c])
                utility = np.where(np.isin(ids, list(disliked)), -np.inf, utility)
                if not np.isfinite(utility).any():
                    continue
                chosen = int(ids[np.argmax(utility + rng.gumbel(size=len(ids)))])
            rating = 0
            if rng.random() < p.rate_share:
                rating = int(np.clip(np.rint(rng.normal(mean_rating[chosen], p.rating_sd)), 1, 5))
                if rating <= 3:
                    disliked.add(chosen)
            last[s] = (chosen, rating)
            events.append((int(day), c + 1, chosen + 1, rating))
    events.sort()
    arr = np.array(events, dtype=np.int64).reshape(-1, 4)
    return Data(params=p, pincodes=pins, pro_service=pro_service, pro_pincode=pro_pin, pro_radius=pro_radius,
                pro_quality=quality, customer_pincode=cust_pin, b_day=arr[:, 0], b_customer=arr[:, 1],
                b_pro=arr[:, 2], b_rating=arr[:, 3], distance=dist)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    data = generate(Params(seed=args.seed))
    print(asdict(data.params))
    print(f"{len(data.b_day):,} bookings, {len(set(data.b_customer.tolist())):,} customers with one, "
          f"{(data.b_rating > 0).mean():.0%} rated")


if __name__ == "__main__":
    main()
