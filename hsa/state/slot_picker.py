"""The booking form's slot picker: a week of day chips and the chosen day's free start times.

Every change (service, pincode, day, week) asks `slot_picker.picker` again with the actor
re-resolved; the chosen day and time are what the form's radio buttons submit, so the booking
carries exactly what the person saw and picked (and the service checks it again)."""

from __future__ import annotations

from datetime import date, timedelta

import reflex as rx

from hsa.i18n import DEFAULT, current, formats
from hsa.i18n.text import say, tr
from hsa.services import slot_picker
from hsa.services.errors import DomainError
from hsa.state.auth import call_as_actor
from hsa.state.rows import DayChip
from hsa.state.values import as_int


def _day_label(d: slot_picker.PickerDay) -> str:
    """The chip's "Tue 8 Dec" in the current language (English as the service wrote it)."""
    if current() == DEFAULT:
        return d.label
    try:
        return formats.day(date.fromisoformat(d.value))
    except ValueError:
        return d.label


class SlotPickerMixin(rx.State, mixin=True):
    days: list[DayChip] = []
    day: str = ""
    times: list[str] = []
    time: str = ""
    week_start: str = ""
    can_prev: bool = False
    can_next: bool = False
    slots_note: str = ""
    slots_pincode: str = ""  # the pincode the picker was computed for (the form's field, last blurred)

    def _picker_args(self) -> dict:
        """The service and professional of the booking form (BookState holds both)."""
        return {"service_id": as_int(getattr(self, "service_id", "")) or 0,
                "professional_id": as_int(getattr(self, "preferred_id", "")) or None}

    def _show_picker(self, found: slot_picker.Picker | None) -> None:
        if found is None:
            self.days, self.day, self.times, self.time, self.can_prev, self.can_next = [], "", [], "", False, False
            self.slots_note = tr("booking.slots_choose_service")
            return
        self.days = [DayChip(value=d.value, label=_day_label(d), open=d.open) for d in found.days]
        self.day, self.times, self.week_start = found.day, list(found.times), found.week_start
        self.can_prev, self.can_next, self.slots_note = found.can_prev, found.can_next, say(found.note)
        if self.time not in self.times:
            self.time = ""

    async def _refresh_slots(self, *, week_start: str | None = None, day: str | None = None) -> None:
        args = self._picker_args()
        if not args["service_id"]:
            self._show_picker(None)
            return
        try:
            _, found = await call_as_actor(self, slot_picker.picker, readonly=True, pincode=self.slots_pincode,
                                           week_start=self.week_start if week_start is None else week_start,
                                           day=self.day if day is None else day, **args)
        except DomainError:
            found = None
        self._show_picker(found)

    @rx.event
    async def pick_day(self, value: str) -> None:
        self.time = ""
        await self._refresh_slots(day=str(value)[:10])

    @rx.event
    def pick_time(self, value: str) -> None:
        value = str(value)[:5]
        self.time = value if value in self.times else ""

    @rx.event
    async def next_week(self) -> None:
        await self._week(7)

    @rx.event
    async def prev_week(self) -> None:
        await self._week(-7)

    async def _week(self, step: int) -> None:
        try:
            start = date.fromisoformat(self.week_start) + timedelta(days=step)
        except ValueError:
            return
        await self._refresh_slots(week_start=start.isoformat(), day="")

    @rx.event
    async def pick_pincode(self, value: str) -> None:
        value = str(value).strip()[:8]
        if value != self.slots_pincode:
            self.slots_pincode = value
            await self._refresh_slots()
