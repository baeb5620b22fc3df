"""A professional's availability: weekly working hours, days off and other one-off hours, the
buffer between jobs and how far ahead they take bookings (issue #19; anchor: Cal.com's working
hours and date overrides).

Hours are written as people write them — "09:00-13:00, 14:00-19:00" — in the form and in the
database alike, so what a professional typed is what they read back. Every range lies within the
platform's hours (`scheduling.OPEN`–`CLOSE`, 08:00–20:00 IST). A professional who never set hours
works the platform's hours every day; the duty toggle stays the switch for "not now".
Slots are computed from these in `hsa.services.slots`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlmodel import Session, col, delete, select

from hsa.i18n.text import msg
from hsa.models import AvailabilityOverride, ProfessionalProfile, Role, utcnow
from hsa.services import audit, throttle
from hsa.services.actors import Actor
from hsa.services.errors import NotFound, ValidationFailed
from hsa.services.permissions import require_role
from hsa.services.scheduling import CLOSE, HORIZON, OPEN, local_date

Ranges = tuple[tuple[int, int], ...]  # (start, end) minutes after midnight IST, sorted, disjoint
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # form field names, Monday first (date.weekday())
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
OPEN_MIN, CLOSE_MIN = OPEN.hour * 60 + OPEN.minute, CLOSE.hour * 60 + CLOSE.minute
PLATFORM: Ranges = ((OPEN_MIN, CLOSE_MIN),)
BUFFER_CHOICES = (0, 15, 30, 45, 60, 90, 120)
HORIZON_CHOICES = (7, 14, 30, 60)
MAX_RANGES = 4
OVERRIDE_SPAN = 31      # one "days off" entry covers at most a month
OVERRIDE_LIMIT = "30/minute;300/day"
_RANGE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(?:-|–|to)\s*(\d{1,2})(?:[:.](\d{2}))?$", re.IGNORECASE)


def _minute(hours: str, minutes: str | None) -> int | None:
    h, m = int(hours), int(minutes or 0)
    return h * 60 + m if h <= 24 and m < 60 else None


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_ranges(text: str) -> Ranges:
    """'09:00-13:00, 14:00-19:00' -> ((540, 780), (840, 1140)); '' -> () (closed).
    ValueError with the sentence to show beside the field."""
    ranges: list[tuple[int, int]] = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        match = _RANGE.match(part)
        start = _minute(match[1], match[2]) if match else None
        end = _minute(match[3], match[4]) if match else None
        if start is None or end is None:
            raise ValueError(msg("svc_booking.hours_not_a_range", part=part[:20]))
        if start >= end:
            raise ValueError(msg("svc_booking.hours_end_before_start", start=_clock(start), end=_clock(end)))
        if start < OPEN_MIN or end > CLOSE_MIN:
            raise ValueError(msg("svc_booking.hours_outside_platform", open=f"{OPEN:%H:%M}", close=f"{CLOSE:%H:%M}"))
        ranges.append((start, end))
    ranges.sort()
    for (_, end), (start, _) in zip(ranges, ranges[1:], strict=False):
        if start < end:
            raise ValueError(msg("svc_booking.hours_overlap"))
    if len(ranges) > MAX_RANGES:
        raise ValueError(msg("svc_booking.hours_too_many", count=MAX_RANGES))
    return tuple(ranges)


def format_ranges(ranges: Ranges) -> str:
    return ", ".join(f"{_clock(s)}-{_clock(e)}" for s, e in ranges)


@lru_cache(maxsize=1024)
def weekly(stored: str) -> tuple[Ranges, ...]:
    """The seven days' ranges (Monday first) from `ProfessionalProfile.weekly_hours`; cached, as
    thousands of professionals share a handful of schedules."""
    if not stored:
        return (PLATFORM,) * 7
    return tuple(parse_ranges(text) for text in json.loads(stored))


def weekly_texts(stored: str) -> tuple[str, ...]:
    """The seven days as the professional reads and writes them ("" closed)."""
    return tuple(format_ranges(r) for r in weekly(stored))


@lru_cache(maxsize=1024)
def day_ranges(text: str) -> Ranges:
    """An override's ranges ('' -> off all day); stored text was checked when saved."""
    return parse_ranges(text)


# ---------------------------------------------------------------- reading and saving


@dataclass(frozen=True)
class OverrideView:
    day: str     # ISO date
    label: str   # "Tue 8 Dec"
    hours: str   # "Off all day" or the ranges


@dataclass(frozen=True)
class AvailabilityView:
    weekly: tuple[str, ...]   # seven range texts, Monday first ("" closed)
    buffer_minutes: int
    horizon_days: int
    overrides: tuple[OverrideView, ...]
    is_available: bool        # the duty toggle


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _profile(session: Session, actor: Actor) -> ProfessionalProfile:
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == actor.id)).first()
    if profile is None:
        raise NotFound(msg("svc_booking.no_pro_profile"))
    return profile


def get_availability(*, session: Session, actor: Actor | None, now: datetime | None = None) -> AvailabilityView:
    """The professional's own hours and upcoming overrides (past ones are history, not shown)."""
    actor = require_role(actor, Role.professional)
    profile = _profile(session, actor)
    today = local_date(now or utcnow())
    rows = session.exec(select(AvailabilityOverride).where(AvailabilityOverride.user_id == actor.id,
                                                           col(AvailabilityOverride.day) >= today)
                        .order_by(col(AvailabilityOverride.day)))
    return AvailabilityView(
        weekly=weekly_texts(profile.weekly_hours),
        buffer_minutes=profile.buffer_minutes, horizon_days=profile.horizon_days,
        overrides=tuple(OverrideView(o.day.isoformat(), day_label(o.day), o.hours or msg("hours.off_all_day"))
                        for o in rows),
        is_available=profile.is_available)


def _choice(data: dict, field: str, choices: tuple[int, ...], message: str) -> int:
    try:
        value = int(str(data.get(field, "")).strip())
    except ValueError:
        value = -1
    if value not in choices:
        raise ValidationFailed({field: message})
    return value


def set_hours(*, session: Session, actor: Actor | None, data: dict) -> AvailabilityView:
    """Save the weekly hours, buffer and horizon at once; any bad day is named beside its field and
    nothing changes. Saving the same thing twice is the same as once."""
    actor = require_role(actor, Role.professional)
    errors: dict[str, str] = {}
    days: list[str] = []
    for field in WEEKDAYS:
        try:
            days.append(format_ranges(parse_ranges(str(data.get(field, "")))))
        except ValueError as exc:
            errors[field] = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    buffer = horizon = 0
    try:
        buffer = _choice(data, "buffer_minutes", BUFFER_CHOICES, msg("svc_booking.choose_buffer"))
    except ValidationFailed as exc:
        errors.update(exc.fields)
    try:
        horizon = _choice(data, "horizon_days", HORIZON_CHOICES, msg("svc_booking.choose_horizon"))
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    profile = _profile(session, actor)
    profile.weekly_hours = json.dumps(days, separators=(",", ":"))
    profile.buffer_minutes, profile.horizon_days = buffer, horizon
    session.add(profile)
    audit.record(session=session, actor_id=actor.id, action="availability.hours", target_type="user",
                 target_id=actor.id)
    session.commit()
    return get_availability(session=session, actor=actor)


def _day(value: object, field: str) -> date:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError as exc:
        raise ValidationFailed({field: msg("svc_booking.choose_date")}) from exc


def add_override(*, session: Session, actor: Actor | None, data: dict,
                 now: datetime | None = None) -> AvailabilityView:
    """Days off (`hours` empty) or other hours, from `start` to `end` (one day when `end` is empty).
    A date that already had an override gets the new one: repeating the form changes nothing."""
    actor = require_role(actor, Role.professional)
    today = local_date(now or utcnow())
    start = _day(data.get("start"), "start")
    end = _day(data.get("end"), "end") if str(data.get("end") or "").strip() else start
    if start < today:
        raise ValidationFailed({"start": msg("svc_booking.choose_today_or_later")})
    if start > today + HORIZON:
        raise ValidationFailed({"start": msg("svc_booking.choose_within_days", days=HORIZON.days)})
    if end < start:
        raise ValidationFailed({"end": msg("svc_booking.last_before_first")})
    if (end - start).days >= OVERRIDE_SPAN:
        raise ValidationFailed({"end": msg("svc_booking.at_most_days", days=OVERRIDE_SPAN)})
    try:
        hours = format_ranges(parse_ranges(str(data.get("hours") or "")))
    except ValueError as exc:
        raise ValidationFailed({"hours": exc.args[0] if exc.args else str(exc)}) from exc
    if (wait := throttle.take(OVERRIDE_LIMIT, "availability-override", str(actor.id))) > 0:
        raise ValidationFailed({"start": msg("svc_booking.too_many_changes", wait=throttle.in_words(wait))})
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    session.exec(delete(AvailabilityOverride).where(  # type: ignore[call-overload]
        col(AvailabilityOverride.user_id) == actor.id, col(AvailabilityOverride.day).in_(days)))
    session.add_all(AvailabilityOverride(user_id=actor.id, day=d, hours=hours) for d in days)
    audit.record(session=session, actor_id=actor.id, action="availability.override", target_type="user",
                 target_id=actor.id)
    session.commit()
    return get_availability(session=session, actor=actor, now=now)


def remove_override(*, session: Session, actor: Actor | None, day: str,
                    now: datetime | None = None) -> AvailabilityView:
    """Back to the weekly hours on that date (only the caller's own; removing twice is harmless)."""
    actor = require_role(actor, Role.professional)
    which = _day(day, "day")
    session.exec(delete(AvailabilityOverride).where(  # type: ignore[call-overload]
        col(AvailabilityOverride.user_id) == actor.id, col(AvailabilityOverride.day) == which))
    session.commit()
    return get_availability(session=session, actor=actor, now=now)


__all__ = ["BUFFER_CHOICES", "HORIZON_CHOICES", "PLATFORM", "WEEKDAYS", "WEEKDAY_NAMES", "AvailabilityView",
           "OverrideView", "Ranges", "add_override", "day_label", "day_ranges", "format_ranges",
           "get_availability", "parse_ranges", "remove_override", "set_hours", "weekly", "weekly_texts"]
