"""Search filters typed by people: each bad value is refused with a message for its own field.

A filter that silently matches nothing (a from-date after the to-date, half a pincode, a
target id that is not a number) looks like "no results" and misleads; these raise instead.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from hsa.i18n.text import msg
from hsa.services.errors import ValidationFailed
from hsa.services.pincodes import normalize_pincode
from hsa.services.scheduling import IST


def pincode(text: str, *, field: str = "pincode") -> str | None:
    """A whole 6-digit pincode ("560 034" and "560-034" too, via `pincodes.normalize_pincode`),
    None when empty."""
    if not (text or "").strip():
        return None
    value = normalize_pincode(text)
    if not re.fullmatch(r"[1-9]\d{5}", value):
        raise ValidationFailed({field: msg("svc_booking.filter_pincode")})
    return value


def _day(text: str, field: str) -> date | None:
    if not (text or "").strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValidationFailed({field: msg("svc_booking.filter_date")}) from exc


def date_range(date_from: str, date_to: str) -> tuple[datetime | None, datetime | None]:
    """[start, end) in UTC-aware datetimes for IST calendar days; the end day is included."""
    first, last = _day(date_from, "date_from"), _day(date_to, "date_to")
    if first and last and first > last:
        raise ValidationFailed({"date_from": msg("svc_booking.start_after_end")})
    start = datetime.combine(first, time.min, tzinfo=IST) if first else None
    end = datetime.combine(last, time.min, tzinfo=IST) + timedelta(days=1) if last else None
    return start, end


def positive_id(text: object, *, field: str) -> int | None:
    """A database id typed into a filter; None when empty."""
    value = str(text if text is not None else "").strip()
    if not value:
        return None
    if not value.isdigit() or not 0 < int(value) < 2**31:
        raise ValidationFailed({field: msg("svc_booking.filter_number")})
    return int(value)
