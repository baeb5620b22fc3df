"""Synthetic daily demand with India's seasonal patterns planted: the forecast backtest's data, the tests'
and the demo's two years of past demand (`python -m hsa.cli seed --demand-history`).

Every series is one service in one city: expected requests per day =
    base[service] x scale[city] x weekday[service][day of week] x (1 + TREND_PER_YEAR x years)
    x (1 + DIWALI_LIFT x ramp)        for Home Cleaning and Painting (ramp: 0 -> 1 over the 14 days
                                       before Diwali, hsa.services.intelligence.demand_calendar)
    x SUMMER_LIFT  in April to June   for AC Repair
    x MONSOON_LIFT in June to September for Pest Control, Painting and Waterproofing
    x a day's noise (gamma, mean 1, coefficient of variation NOISE_CV)
and the count is a Poisson draw of that. Defaults: two years of history (730 days) ending yesterday,
TREND_PER_YEAR 0.15, DIWALI_LIFT 2.0 (three times the demand on Diwali's eve), SUMMER_LIFT 1.8,
MONSOON_LIFT 1.6, NOISE_CV 0.15, weekends busier for cleaning and painting (x 1.35), four cities with
scales 1.0 (Bengaluru), 1.3 (Mumbai), 1.2 (Delhi), 0.7 (Chennai); a fixed seed, so runs repeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from hsa.services.intelligence.demand_calendar import diwali_ramp

TREND_PER_YEAR = 0.15
DIWALI_LIFT = 2.0
SUMMER_LIFT = 1.8
MONSOON_LIFT = 1.6
NOISE_CV = 0.15
HISTORY_DAYS = 730

# service: expected requests a day in a city of scale 1 (before weekday and calendar effects)
BASE: dict[str, float] = {
    "Plumbing": 9.0, "Electrical": 8.0, "Home Cleaning": 6.0, "Bathroom Cleaning": 4.0, "Carpentry": 3.0,
    "Painting": 2.5, "AC Repair": 5.0, "Pest Control": 3.0, "Appliance Repair": 5.0, "RO Water Purifier": 3.5,
}
CITIES: dict[str, tuple[str, float]] = {  # city: (a pincode in it, scale)
    "Bengaluru": ("560034", 1.0), "Mumbai": ("400050", 1.3), "Delhi": ("110024", 1.2), "Chennai": ("600020", 0.7),
}
WEEKDAY = (0.95, 0.9, 0.9, 0.95, 1.0, 1.2, 1.1)          # Monday first: repairs, a little busier on Saturday
WEEKEND_HEAVY = (0.85, 0.8, 0.8, 0.85, 0.95, 1.35, 1.4)  # cleaning and painting happen on days off
WEEKEND_SERVICES = ("Home Cleaning", "Bathroom Cleaning", "Painting")
DIWALI_SERVICES = ("Home Cleaning", "Painting")
SUMMER_SERVICES = ("AC Repair",)
MONSOON_SERVICES = ("Pest Control", "Painting", "Waterproofing")


@dataclass(frozen=True)
class Series:
    service: str
    city: str
    pincode: str
    days: list[date]
    counts: np.ndarray


def expected(service: str, scale: float, day: date, start: date) -> float:
    """The planted mean for one day (before noise)."""
    weekday = (WEEKEND_HEAVY if service in WEEKEND_SERVICES else WEEKDAY)[day.weekday()]
    mean = BASE.get(service, 3.0) * scale * weekday * (1 + TREND_PER_YEAR * (day - start).days / 365)
    if service in DIWALI_SERVICES:
        mean *= 1 + DIWALI_LIFT * diwali_ramp(day)
    if service in SUMMER_SERVICES and day.month in (4, 5, 6):
        mean *= SUMMER_LIFT
    if service in MONSOON_SERVICES and day.month in (6, 7, 8, 9):
        mean *= MONSOON_LIFT
    return mean


def generate(*, end: date, days: int = HISTORY_DAYS, services: tuple[str, ...] = tuple(BASE),
             cities: dict[str, tuple[str, float]] | None = None, seed: int = 18) -> list[Series]:
    """One series per service x city: `days` daily counts up to and including `end`."""
    rng = np.random.default_rng(seed)
    cities = CITIES if cities is None else cities
    start = end - timedelta(days=days - 1)
    dates = [start + timedelta(days=i) for i in range(days)]
    shape = 1 / NOISE_CV**2
    found = []
    for service in services:
        for city, (pincode, scale) in cities.items():
            means = np.array([expected(service, scale, d, start) for d in dates])
            noisy = means * rng.gamma(shape, 1 / shape, size=days)
            found.append(Series(service, city, pincode, dates, rng.poisson(noisy).astype(float)))
    return found
