"""Past demand from outside the app: a CSV of daily counts an operator imports, and the demo's planted years.

A city that moves to HomeServe from a call centre or another system has years of demand the forecasts
need; the app's own requests only start on launch day. `python -m hsa.cli import-demand FILE.csv` reads
`day,service,city,requests` rows (ISO day, a catalog service by name, a city by any of its names),
checks every line first and writes nothing when one is wrong (each error names its line), then replaces
that source's days: importing the same file twice leaves the same rows. The forecast job adds these
counts to the requests made here (hsa.services.intelligence.demand_store.daily_history).

The demo (`python -m hsa.cli seed --demand-history`, which `scripts/serve` runs) plants two years from
hsa.services.intelligence.demand_synth under the source "demo", so the Demand page has something real to
show on first run without adding 180,000 requests to the demo's dashboards and lists.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from hsa.i18n import DEFAULT, LANGUAGES
from hsa.i18n.text import Localized, msg, say
from hsa.models import DemandHistory, Service
from hsa.services.errors import ValidationFailed
from hsa.services.intelligence.demand_synth import CITIES, HISTORY_DAYS, generate
from hsa.services.pincodes import city_named

COLUMNS = ("day", "service", "city", "requests")
MAX_ROWS = 500_000          # 20 years x 10 services x 6 cities; a bigger file is a mistake, not history
MAX_REQUESTS_A_DAY = 100_000
DEMO_SOURCE = "demo"


@dataclass(frozen=True)
class HistoryDay:
    service_id: int
    city: str
    day: date
    requests: int


def _one(line: int, row: dict[str, str], services: dict[str, int], today: date) -> HistoryDay:
    """One CSV row, or ValueError saying what is wrong with it."""
    try:
        day = date.fromisoformat((row.get("day") or "").strip())
    except ValueError:
        raise ValueError(msg("svc_admin.csv_bad_day", line=line)) from None
    if day >= today:
        raise ValueError(msg("svc_admin.csv_day_not_past", line=line, day=day.isoformat()))
    name = (row.get("service") or "").strip()
    if name.casefold() not in services:
        raise ValueError(msg("svc_admin.csv_no_service", line=line, name=repr(name)))
    place = city_named(row.get("city") or "")
    if not place or len(place) > 60:
        raise ValueError(msg("svc_admin.csv_bad_city", line=line))
    text = (row.get("requests") or "").strip()
    if not text.isdigit() or int(text) > MAX_REQUESTS_A_DAY:
        raise ValueError(msg("svc_admin.csv_bad_requests", line=line, most=f"{MAX_REQUESTS_A_DAY:,}"))
    return HistoryDay(services[name.casefold()], place, day, int(text))


def _listed(errors: list[str]) -> Localized:
    """The first five errors joined by "; " (and how many more), in every language."""
    more = msg("svc_admin.csv_more", count=len(errors) - 5) if len(errors) > 5 else None

    def said(lang: str) -> str:
        return "; ".join(say(e, lang) for e in errors[:5]) + (f" {say(more, lang)}" if more else "")
    return Localized(said(DEFAULT), {lang: said(lang) for lang in LANGUAGES if lang != DEFAULT})


def parse_csv(session: Session, text: str, *, today: date) -> list[HistoryDay]:
    """Every row of the file, or ValidationFailed listing the first errors (field "file")."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationFailed({"file": msg("svc_admin.csv_columns", columns=", ".join(COLUMNS),
                                            missing=", ".join(missing))})
    services = {s.name.casefold(): s.id for s in session.exec(select(Service)) if s.id is not None}
    found: dict[tuple[int, str, date], HistoryDay] = {}
    errors: list[str] = []
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise ValidationFailed({"file": msg("svc_admin.csv_too_many_rows", most=f"{MAX_ROWS:,}")})
        try:
            one = _one(line, row, services, today)
        except ValueError as exc:
            errors.append(exc.args[0])
            continue
        key = (one.service_id, one.city, one.day)
        if key in found:
            errors.append(msg("svc_admin.csv_second_row", line=line, service=row["service"].strip(), city=one.city,
                              day=one.day.isoformat()))
        found[key] = one
    if errors:
        raise ValidationFailed({"file": _listed(errors)})
    if not found:
        raise ValidationFailed({"file": msg("svc_admin.csv_no_rows")})
    return list(found.values())


def replace_source(session: Session, days: list[HistoryDay], *, source: str) -> int:
    """Write `days` under `source` in one transaction, replacing that source's rows for the same series
    and dates (a re-import is a no-op, a corrected file wins); returns the rows written."""
    source = source.strip()[:60] or "import"
    by_series: dict[tuple[int, str], list[date]] = {}
    for d in days:
        by_series.setdefault((d.service_id, d.city), []).append(d.day)
    for (service_id, place), dates in by_series.items():
        session.exec(delete(DemandHistory).where(
            col(DemandHistory.source) == source, col(DemandHistory.service_id) == service_id,
            col(DemandHistory.city) == place, col(DemandHistory.day) >= min(dates),
            col(DemandHistory.day) <= max(dates)))
    session.add_all([DemandHistory(service_id=d.service_id, city=d.city, day=d.day, requests=d.requests,
                                   source=source) for d in days])
    session.commit()
    return len(days)


def plant_demo_history(session: Session, *, yesterday: date, days: int = HISTORY_DAYS) -> int:
    """The demo's past demand: `days` of planted daily counts per catalog service x the generator's four
    cities, ending `yesterday`. Does nothing (0) when demo history is already there."""
    if session.exec(select(func.count()).select_from(DemandHistory)
                    .where(col(DemandHistory.source) == DEMO_SOURCE)).one():
        return 0
    ids = {s.name: s.id for s in session.exec(select(Service)) if s.id is not None}
    planted = generate(end=yesterday, days=days, services=tuple(n for n in ids), cities=CITIES)
    rows = [HistoryDay(ids[s.service], s.city, d, int(c)) for s in planted for d, c in zip(s.days, s.counts,
                                                                                             strict=True)]
    return replace_source(session, rows, source=DEMO_SOURCE)


def imported_counts(session: Session, *, since: date, until: date) -> list[tuple[int, str, date, int]]:
    """(service id, city, day, requests) summed over sources, `since` to `until` inclusive."""
    rows = session.exec(
        select(DemandHistory.service_id, DemandHistory.city, DemandHistory.day, func.sum(DemandHistory.requests))
        .where(col(DemandHistory.day) >= since, col(DemandHistory.day) <= until)
        .group_by(DemandHistory.service_id, DemandHistory.city, DemandHistory.day)).all()
    return [(sid, place, day if isinstance(day, date) else date.fromisoformat(str(day)), int(n))
            for sid, place, day, n in rows]


__all__ = ["COLUMNS", "DEMO_SOURCE", "HistoryDay", "imported_counts", "parse_csv", "plant_demo_history",
           "replace_source"]
