"""Booking slots: Indian Standard Time working hours, lead and horizon limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hsa.i18n.text import msg
from hsa.settings import get_settings

IST = ZoneInfo("Asia/Kolkata")
OPEN = time(8, 0)
CLOSE = time(20, 0)
HORIZON = timedelta(days=60)
ACCEPT_WINDOW = timedelta(minutes=30)  # an unaccepted booking gives professionals at least this to accept


def open_lead() -> timedelta:
    """How far ahead an unaccepted booking must start: it expires `HSA_EXPIRE_HOURS_BEFORE_SLOT`
    before its slot, so a later one would be cancelled by the next reminder pass."""
    return timedelta(hours=get_settings().expire_hours_before_slot) + ACCEPT_WINDOW


def parse_slot(day: str, at: str) -> datetime:
    """'2026-12-01' + '10:30' in IST -> aware UTC datetime; ValueError with a person's message."""
    try:
        d = date.fromisoformat(day.strip())
    except ValueError as exc:
        raise ValueError(msg("svc_booking.choose_date")) from exc
    try:
        t = time.fromisoformat(at.strip())
    except ValueError as exc:
        raise ValueError(msg("svc_booking.choose_time")) from exc
    return datetime.combine(d, t, tzinfo=IST).astimezone(UTC)


def slot_problem(start: datetime, duration_minutes: int, now: datetime) -> str | None:
    """Why a slot cannot be booked, or None when it can."""
    if start <= now:
        return msg("svc_booking.choose_future")
    if start > now + HORIZON:
        return msg("svc_booking.horizon_60")
    local = start.astimezone(IST)
    end = local + timedelta(minutes=duration_minutes)
    if local.time() < OPEN or end.date() != local.date() or end.time() > CLOSE:
        return msg("svc_booking.fit_hours", open=f"{OPEN:%H:%M}", close=f"{CLOSE:%H:%M}")
    return None


def overlaps(a_start: datetime, a_minutes: int, b_start: datetime, b_minutes: int) -> bool:
    """Half-open intervals [start, start + duration) overlap."""
    return a_start < b_start + timedelta(minutes=b_minutes) and b_start < a_start + timedelta(minutes=a_minutes)


def local_label(moment: datetime) -> str:
    """'Tue 1 Dec, 10:30' in IST for lists."""
    local = moment.astimezone(IST)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def local_date(moment: datetime) -> date:
    return moment.astimezone(IST).date()
