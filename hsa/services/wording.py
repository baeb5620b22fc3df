"""How counts and units are written for people: "1 review", "350 m", "12 KB", "5 years of experience".

Every screen, notification and e-mail formats numbers with a noun through these helpers, so a rule
("never '0 km'", "1 review, not 1 reviews") is written once. Pure functions, no reflex: the service
layer (notification texts) and the state layer (row labels) share them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

KIB = 1024


def group_digits(n: int) -> str:
    """Indian digit grouping: 1,00,000 (one lakh), 1,23,45,678 — as on a rupee price."""
    sign, s = ("-", str(-n)) if n < 0 else ("", str(n))
    if len(s) <= 3:
        return sign + s
    head, tail = s[:-3], s[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return sign + ",".join(groups) + "," + tail


def plural(count: int, singular: str, many: str | None = None, *, zero: str | None = None) -> str:
    """'1 review', '2 reviews', '0 reviews' (or `zero`, e.g. 'No reviews yet'); `many` for irregular nouns."""
    if count == 0 and zero is not None:
        return zero
    noun = singular if count == 1 else (many or singular + "s")
    return f"{group_digits(count)} {noun}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd — for '6th Block', '2nd Stage'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def years_label(years: int) -> str:
    """'1 year', '5 years'; never the abbreviation 'yrs'."""
    return plural(years, "year")


def experience_label(years: int) -> str:
    """'5 years of experience'; 0 reads 'Less than a year of experience' rather than '0 years'."""
    if years <= 0:
        return "Less than a year of experience"
    return f"{years_label(years)} of experience"


def _half_up(value: float, places: int) -> Decimal:
    """Round the way people do (9.95 -> 10.0); binary floats would give 9.9."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _one_decimal(value: Decimal) -> str:
    """'1.2', and '1' rather than '1.0'."""
    return f"{value:.1f}".removesuffix(".0")


def _km(km: float) -> str:
    """1 km or more: one decimal below 10 km ('1.2 km', never '1.0 km'), whole km from 10 km."""
    tenth = _half_up(km, 1)
    if tenth < 10:
        return f"{_one_decimal(tenth)} km"
    return f"{group_digits(int(_half_up(km, 0)))} km"


def distance_label(km: float | None, *, approximate: bool = False) -> str:
    """A distance as a person says it; '' when unknown, never '0 km'.

    Below 1 km: metres rounded to 50 m ('350 m', 'under 50 m'), for positions measured by GPS.
    `approximate=True` is for distances between pincode centroids (search results, job lists,
    notifications): those are only good to a kilometre or two, so anything below 1 km reads
    'under 1 km' instead of a precise-looking '300 m' or a false '0 km'.
    """
    if km is None:
        return ""
    km = max(km, 0.0)
    if approximate:
        return _km(km) if _half_up(km, 1) >= 1 else "under 1 km"
    metres = int(_half_up(km * 1000 / 50, 0)) * 50
    if metres >= 1000:
        return _km(max(km, 1.0))
    return "under 50 m" if metres == 0 else f"{metres} m"


def file_size_label(size: int | None) -> str:
    """'1 byte', '1,023 bytes', '12 KB', '1.3 MB', '5 MB' (1 KB = 1,024 bytes); never '0 KB'."""
    if size is None:
        return ""
    if size < KIB:
        return plural(size, "byte")
    kb = int(_half_up(size / KIB, 0))
    if kb < KIB:
        return f"{group_digits(kb)} KB"
    mb = _half_up(size / KIB**2, 1)
    if mb < KIB:
        return f"{_one_decimal(mb)} MB"
    return f"{_one_decimal(_half_up(size / KIB**3, 1))} GB"
