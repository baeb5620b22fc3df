"""What the booking form's slot picker shows: a week of days, which have free times, and the free
start times of the chosen day (issue #19). All of it from `hsa.services.slots`, the rule the
booking itself is checked against, so the picker never offers a time the booking would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from hsa.i18n.text import msg
from hsa.models import Role, utcnow
from hsa.services import slots
from hsa.services.actors import Actor
from hsa.services.availability import day_label
from hsa.services.permissions import require_role
from hsa.services.pincodes import centroid
from hsa.services.scheduling import HORIZON, IST, local_date, open_lead


@dataclass(frozen=True)
class PickerDay:
    value: str    # ISO date, the form's `day`
    label: str    # "Tue 8 Dec"
    open: bool    # some start time is free


@dataclass(frozen=True)
class Picker:
    days: tuple[PickerDay, ...]
    day: str                 # the chosen day ('' when none of the week is open)
    times: tuple[str, ...]   # free start times of the chosen day, "HH:MM" IST
    week_start: str
    can_prev: bool
    can_next: bool
    note: str                # why there is nothing to choose, in a sentence ('' when there is)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def picker(*, session: Session, actor: Actor | None, service_id: int, pincode: str, week_start: str = "",
           day: str = "", professional_id: int | None = None, now: datetime | None = None) -> Picker:
    """The week from `week_start` (clamped to what can be booked) and the free times of `day`, or of
    the week's first open day. With `professional_id`, only that professional's free times."""
    require_role(actor, Role.customer)
    now = now or utcnow()
    earliest, last = local_date(now + open_lead()), local_date(now + HORIZON)
    first = min(max(_date(week_start) or earliest, earliest), last)
    week = [d for d in (first + timedelta(days=i) for i in range(slots.WEEK)) if d <= last]
    pincode = (pincode or "").strip()
    if professional_id is None and centroid(pincode) is None:
        return Picker((), "", (), first.isoformat(), False, False,
                      msg("svc_booking.picker_pincode"))
    flags = slots.open_days(session=session, service_id=service_id, pincode=pincode, first=first, now=now,
                            professional_id=professional_id, days=len(week))
    days = tuple(PickerDay(d.isoformat(), day_label(d), bool(f)) for d, f in zip(week, flags, strict=True))
    wanted = _date(day)
    chosen = next((d for d, f in zip(week, flags, strict=True) if f and d == wanted), None) or \
        next((d for d, f in zip(week, flags, strict=True) if f), None)
    times: tuple[str, ...] = ()
    if chosen is not None:
        times = tuple(f"{t.astimezone(IST):%H:%M}" for t in slots.free_starts(
            session=session, service_id=service_id, pincode=pincode, day=chosen, now=now,
            professional_id=professional_id))
    note = ""
    if chosen is None and professional_id is not None:
        note = msg("svc_booking.picker_pro_busy")
    elif chosen is None and not slots.anyone_in_reach(session=session, service_id=service_id, pincode=pincode):
        note = msg("svc_booking.picker_nobody_near", pincode=pincode)
    elif chosen is None:
        note = msg("svc_booking.picker_nobody_free")
    return Picker(days, chosen.isoformat() if chosen else "", times, first.isoformat(), first > earliest,
                  first + timedelta(days=slots.WEEK) <= last, note)


__all__ = ["Picker", "PickerDay", "picker"]
