"""Indian festival and season regressors for the demand forecasts (hsa.services.intelligence.demand_forecast).

Demand for some household services moves with the calendar, not with last week: homes are deep-cleaned
and painted in the fortnight before Diwali, ACs break in the summer heat (April to June), and the
monsoon (June to September) brings damp walls (waterproofing, painting) and pests. A weekly model
cannot see these coming, so each is a regressor column the forecast fits on history and then knows for
the days ahead. `SERVICE_EFFECTS` says which regressors a service gets: a service not listed gets none
(fitting a festival effect to Plumbing only adds noise).

The windows are national: the north-east monsoon (Chennai, October to December) is not modelled yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

# Lakshmi Puja, the main day of Diwali (Hindu lunisolar calendar; published panchang dates).
DIWALI: dict[int, date] = {
    2024: date(2024, 10, 31),
    2025: date(2025, 10, 20),
    2026: date(2026, 11, 8),
    2027: date(2027, 10, 29),
    2028: date(2028, 10, 17),
}
DIWALI_LEAD_DAYS = 14  # the cleaning and painting rush: the two weeks before the day, rising towards it

SUMMER_MONTHS = (4, 5, 6)       # April to June: AC repair
MONSOON_MONTHS = (6, 7, 8, 9)   # June to September (south-west monsoon): waterproofing, painting, pest control

REGRESSORS = ("diwali", "summer", "monsoon")

# Which calendar effects each service's forecast fits (by the catalog name).
SERVICE_EFFECTS: dict[str, tuple[str, ...]] = {
    "Home Cleaning": ("diwali",),
    "Painting": ("diwali", "monsoon"),
    "Waterproofing": ("monsoon",),
    "AC Repair": ("summer",),
    "Pest Control": ("monsoon",),
}


def effects_for(service_name: str) -> tuple[str, ...]:
    """The regressors a service's forecast uses (none for a service the calendar knows nothing about)."""
    return SERVICE_EFFECTS.get(service_name, ())


def diwali_ramp(day: date) -> float:
    """0 outside the rush; rises linearly over the 14 days before Diwali to 1 on its eve; 0 from the day itself."""
    festival = DIWALI.get(day.year)
    if festival is None or day >= festival:
        return 0.0
    before = (festival - day).days
    if before > DIWALI_LEAD_DAYS:
        return 0.0
    return (DIWALI_LEAD_DAYS + 1 - before) / DIWALI_LEAD_DAYS


def regressor(name: str, day: date) -> float:
    """One regressor's value on one day."""
    if name == "diwali":
        return diwali_ramp(day)
    if name == "summer":
        return 1.0 if day.month in SUMMER_MONTHS else 0.0
    if name == "monsoon":
        return 1.0 if day.month in MONSOON_MONTHS else 0.0
    raise ValueError(f"unknown regressor {name!r}")


def regressor_matrix(days: Sequence[date], names: Sequence[str]) -> np.ndarray:
    """len(days) x len(names) matrix of the named regressors (0 columns when `names` is empty)."""
    return np.array([[regressor(n, d) for n in names] for d in days], dtype=float).reshape(len(days), len(names))


__all__ = ["DIWALI", "REGRESSORS", "SERVICE_EFFECTS", "diwali_ramp", "effects_for", "regressor", "regressor_matrix"]
