"""Free start times: who of the eligible professionals can take a job when (issue #19).

A start time on a day is free when at least one eligible professional — the service's, approved,
active, on duty, in reach of the pincode by their own radius, taking bookings that far ahead — has
it inside that day's hours (a date override, else the weekly hours) for the whole duration, and no
assigned job within their buffer of it. Start times run every `GRID_MINUTES` from 08:00 IST while
the job still ends by 20:00 (`scheduling`), from the booking lead (`scheduling.open_lead`) to the
platform's horizon.

How it stays fast with 10,000 professionals in reach: each start time is a bit, a professional's
free times one integer; schedules are shared, so "which starts fit these hours" is cached. The
professionals stream from one SQL statement that also gives, by index, each one's override that
day (a day off never leaves SQL); jobs are read only for those who could still add a start, a
batch at a time, and the scan stops as soon as every start is covered (bench/slot_bench.py;
bench/RESULTS.md, "Slots").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import Select, bindparam, exists
from sqlmodel import Session, col, select

from hsa.models import ACTIVE, AvailabilityOverride, ProfessionalProfile, Service, ServiceRequest, User
from hsa.services import geo
from hsa.services.availability import CLOSE_MIN, OPEN_MIN, Ranges, day_ranges, weekly
from hsa.services.permissions import at_work
from hsa.services.pincodes import centroid
from hsa.services.scheduling import HORIZON, IST, local_date, open_lead

GRID_MINUTES = 30
FIRST_CHUNK, CHUNK = 50, 800  # professionals read from the statement at a time: few first (they usually
#                               cover every start), then more at once while nobody is found
WEEK = 7


def to_utc(day: date, minute: int) -> datetime:
    return (datetime.combine(day, time(0), tzinfo=IST) + timedelta(minutes=minute)).astimezone(UTC)


def minute_of(moment: datetime) -> tuple[date, int]:
    local = moment.astimezone(IST)
    return local.date(), local.hour * 60 + local.minute


def day_grid(day: date, duration: int, now: datetime) -> tuple[int, ...]:
    """The start times (minutes after midnight IST) a booking may take on `day`: on the grid, the
    job over by closing, no sooner than the booking lead and no later than the horizon."""
    first, last = now + open_lead(), now + HORIZON
    return tuple(m for m in range(OPEN_MIN, CLOSE_MIN - duration + 1, GRID_MINUTES)
                 if first <= to_utc(day, m) <= last)


@lru_cache(maxsize=8192)
def fit_mask(ranges: Ranges, starts: tuple[int, ...], duration: int) -> int:
    """Bit i set: a job of `duration` from starts[i] lies inside one of the ranges."""
    mask = 0
    for i, s in enumerate(starts):
        if any(a <= s and s + duration <= b for a, b in ranges):
            mask |= 1 << i
    return mask


def clash_mask(starts: tuple[int, ...], duration: int, jobs: Iterable[tuple[int, int]], buffer: int) -> int:
    """Bit i set: a job from starts[i] would come within `buffer` minutes of one of `jobs`."""
    mask = 0
    for i, s in enumerate(starts):
        if any(s < end + buffer and begin < s + duration + buffer for begin, end in jobs):
            mask |= 1 << i
    return mask


def _window(day: date) -> dict[str, object]:
    """The bind parameters of one IST day: the date (overrides) and its UTC bounds (jobs)."""
    return {"day": day, "begin": to_utc(day, 0), "end": to_utc(day + timedelta(days=1), 0)}


def _jobs_of(session: Session, pro_ids: list[int], day: date) -> dict[int, list[tuple[int, int]]]:
    """The assigned, active jobs of these professionals on that IST date, as minute ranges (any
    service: a professional who changed service keeps their jobs); `ix_requests_pro_scheduled`."""
    w = _window(day)
    jobs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pro_id, at, minutes in session.exec(
        select(ServiceRequest.professional_id, ServiceRequest.scheduled_at, Service.duration_minutes)
        .join(Service, col(Service.id) == ServiceRequest.service_id)
        .where(col(ServiceRequest.professional_id).in_(pro_ids), col(ServiceRequest.scheduled_at) >= w["begin"],
               col(ServiceRequest.scheduled_at) < w["end"], col(ServiceRequest.status).in_(ACTIVE))
    ):
        start = int((at - w["begin"]).total_seconds()) // 60  # type: ignore[operator]
        jobs[pro_id].append((start, start + minutes))
    return jobs


def _columns() -> tuple:
    """Per professional: id, weekly hours, buffer and that day's override (NULL: none), looked up
    by index per professional. Jobs are not: they are read afterwards, a batch at a time, only for
    the professionals whose hours could still add a start (usually the first few dozen)."""
    override = (select(AvailabilityOverride.hours)
                .where(AvailabilityOverride.user_id == ProfessionalProfile.user_id,
                       col(AvailabilityOverride.day) == bindparam("day"))
                .scalar_subquery().label("override"))
    return (ProfessionalProfile.user_id, ProfessionalProfile.weekly_hours, ProfessionalProfile.buffer_minutes,
            override)


@lru_cache(maxsize=3)
def _statement(kind: str) -> Select:
    """Eligible professionals, unordered so SQLite can stream them and the scan stop early: in reach
    of an origin (the `geo` parameters), one named professional (booked by name: no radius, as the
    booking form's "preferred" rule), or given ids (notices, already chosen by distance)."""
    if kind == "ids":
        return select(*_columns()).where(col(ProfessionalProfile.user_id).in_(bindparam("ids", expanding=True)),
                                         col(ProfessionalProfile.horizon_days) >= bindparam("ahead"))
    day_off = exists().where(AvailabilityOverride.user_id == ProfessionalProfile.user_id,
                             col(AvailabilityOverride.day) == bindparam("day"), AvailabilityOverride.hours == "")
    rule = (ProfessionalProfile.service_id == bindparam("service_id"), at_work(),
            col(ProfessionalProfile.is_available).is_(True),
            col(ProfessionalProfile.horizon_days) >= bindparam("ahead"), ~day_off)  # a holiday reads nobody
    if kind == "one":
        return (select(*_columns()).join(User, col(User.id) == ProfessionalProfile.user_id)
                .where(ProfessionalProfile.user_id == bindparam("pro"), *rule))
    # stream_results: on PostgreSQL a server-side cursor, so it stops computing rows when the scan
    # stops (SQLite's cursor already steps row by row); FETCH sizes follow fetchmany's.
    return (select(*_columns()).select_from(geo.pros_then_users())
            .where(*rule, geo.in_box(), geo.within(geo.distance_sql(), col(ProfessionalProfile.service_radius_km)))
            .execution_options(stream_results=True, max_row_buffer=CHUNK))


class _Fits(dict):
    """Which of the starts each day's hours fit, by the text they come from (an override, else the
    weekly hours): thousands of professionals share a handful of texts, so each is worked out once
    per scan and every other row costs one dictionary lookup."""

    def __init__(self, day: date, starts: tuple[int, ...], duration: int) -> None:
        super().__init__()
        self.weekday, self.starts, self.duration = day.weekday(), starts, duration

    def __missing__(self, key: tuple[str | None, str]) -> int:
        override, weekly_hours = key
        ranges = day_ranges(override) if override is not None else weekly(weekly_hours)[self.weekday]
        self[key] = mask = fit_mask(ranges, self.starts, self.duration)
        return mask


def _masks(session: Session, rows: Iterable[tuple], day: date, fits: _Fits,
           wanted: int) -> Iterable[tuple[int, int]]:
    """(professional, free mask among `wanted`) for a batch of rows; one job query for the batch's
    professionals whose hours could add something."""
    hopeful = [(user_id, buffer, mask) for user_id, weekly_hours, buffer, override in rows
               if (mask := fits[override, weekly_hours] & wanted)]
    if hopeful:
        jobs = _jobs_of(session, [user_id for user_id, _, _ in hopeful], day)
        for user_id, buffer, mask in hopeful:
            taken = jobs.get(user_id)
            yield user_id, mask & ~clash_mask(fits.starts, fits.duration, taken, buffer) if taken else mask


def _scan(session: Session, *, service_id: int, pincode: str, day: date, starts: tuple[int, ...], duration: int,
          now: datetime, professional_id: int | None, first_only: bool = False) -> int:
    """The union of eligible professionals' free masks over `starts` (first_only: stop at any)."""
    if not starts:
        return 0
    params: dict[str, object] = {"service_id": service_id, "ahead": (day - local_date(now)).days, **_window(day)}
    if professional_id is not None:
        params["pro"] = professional_id
    else:
        origin = centroid(pincode)
        if origin is None:
            return 0
        params.update(geo.origin_params(origin))
        geo.plan_for_these_values(session)
    want, found, fits = (1 << len(starts)) - 1, 0, _Fits(day, starts, duration)
    result = session.connection().execute(_statement("one" if professional_id is not None else "near"), params)
    try:
        size = FIRST_CHUNK
        while chunk := result.fetchmany(size):
            for _, mask in _masks(session, chunk, day, fits, want & ~found):
                found |= mask
            if found == want or (first_only and found):
                break
            size = min(size * 4, CHUNK)
    finally:
        result.close()
    return found


def _duration(session: Session, service_id: int) -> int | None:
    """The active service's duration (None: no such active service)."""
    return session.exec(select(Service.duration_minutes).where(Service.id == service_id,
                                                              col(Service.is_active).is_(True))).first()


def free_starts(*, session: Session, service_id: int, pincode: str, day: date, now: datetime,
                professional_id: int | None = None) -> tuple[datetime, ...]:
    """The free start times (UTC) on an IST day for a booking of this service at this pincode, or
    with this professional."""
    duration = _duration(session, service_id)
    if duration is None:
        return ()
    starts = day_grid(day, duration, now)
    mask = _scan(session, service_id=service_id, pincode=pincode, day=day, starts=starts, duration=duration,
                 now=now, professional_id=professional_id)
    return tuple(to_utc(day, s) for i, s in enumerate(starts) if mask >> i & 1)


def open_days(*, session: Session, service_id: int, pincode: str, first: date, now: datetime,
              professional_id: int | None = None, days: int = WEEK) -> tuple[bool, ...]:
    """For `days` days from `first`: does any start time remain free? (The picker's day chips.)"""
    duration = _duration(session, service_id)
    if duration is None:
        return (False,) * days
    return tuple(bool(_scan(session, service_id=service_id, pincode=pincode, day=d, now=now,
                            starts=day_grid(d, duration, now), duration=duration,
                            professional_id=professional_id, first_only=True))
                 for d in (first + timedelta(days=i) for i in range(days)))


def is_bookable(session: Session, *, service_id: int, pincode: str, start: datetime, duration: int, now: datetime,
                professional_id: int | None = None) -> bool:
    """Is someone eligible (or that professional) free for exactly this start (on the grid or not)?"""
    day, minute = minute_of(start)
    return bool(_scan(session, service_id=service_id, pincode=pincode, day=day, starts=(minute,),
                      duration=duration, now=now, professional_id=professional_id, first_only=True))


def anyone_in_reach(session: Session, *, service_id: int, pincode: str) -> bool:
    """Does any professional of the service work this pincode at all, free or not? (The picker then
    says "nobody works here yet" instead of "try later days".)"""
    origin = centroid(pincode)
    if origin is None:
        return False
    geo.plan_for_these_values(session)
    statement = (select(ProfessionalProfile.user_id).select_from(geo.pros_then_users())
                 .where(ProfessionalProfile.service_id == service_id, at_work(), geo.in_box(),
                        geo.within(geo.distance_sql(), col(ProfessionalProfile.service_radius_km))).limit(1))
    return session.connection().execute(statement, geo.origin_params(origin)).first() is not None


def free_among(session: Session, user_ids: list[int], *, start: datetime, duration: int,
               now: datetime) -> set[int]:
    """Which of these professionals are free for [start, start + duration) by their own hours,
    overrides, buffer and horizon (new-job notices go only to them)."""
    if not user_ids:
        return set()
    day, minute = minute_of(start)
    rows = session.connection().execute(_statement("ids"), {"ids": user_ids, "ahead": (day - local_date(now)).days,
                                                            **_window(day)}).all()
    return {user_id for user_id, mask in _masks(session, rows, day, _Fits(day, (minute,), duration), 1) if mask}


__all__ = ["GRID_MINUTES", "anyone_in_reach", "clash_mask", "day_grid", "fit_mask", "free_among", "free_starts",
           "is_bookable", "open_days", "to_utc"]
