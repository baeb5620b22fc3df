"""The professional's "Working hours" page: weekly hours, buffer, horizon and days off."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.services import availability
from hsa.services.errors import DomainError
from hsa.state.auth import call_as_actor, errors_of, fail, guard_page
from hsa.state.forms import FormState, submits
from hsa.state.rows import OverrideRow

HOURS_FIELDS = (*availability.WEEKDAYS, "buffer_minutes", "horizon_days")
# What the page lays out: (field, label) per weekday, and the choices of the two selects.
DAY_FIELDS = tuple(zip(availability.WEEKDAYS, availability.WEEKDAY_NAMES, strict=True))
BUFFER_OPTIONS = [(str(m), "No gap" if m == 0 else f"{m} minutes") for m in availability.BUFFER_CHOICES]
HORIZON_OPTIONS = [(str(d), f"{d} days ahead") for d in availability.HORIZON_CHOICES]
OVERRIDE_FIELDS = ("start", "end", "hours")


class AvailabilityState(FormState, rx.State):
    """What the page shows comes from `availability.get_availability` after every change, so it
    is always what is stored (the service normalises "9-13" to "09:00-13:00")."""

    weekly: list[str] = [""] * 7
    buffer_minutes: str = "0"
    horizon_days: str = "60"
    on_duty: bool = True
    overrides: list[OverrideRow] = []
    errors: dict[str, str] = {}
    saved: str = ""
    override_errors: dict[str, str] = {}
    override_saved: str = ""
    loaded: bool = False
    form_key: str = ""  # new after every save: the uncontrolled fields remount with what is stored

    def _show(self, view: availability.AvailabilityView) -> None:
        self.weekly = list(view.weekly)
        self.buffer_minutes, self.horizon_days = str(view.buffer_minutes), str(view.horizon_days)
        self.on_duty = view.is_available
        self.overrides = [OverrideRow(day=o.day, label=o.label, hours=o.hours) for o in view.overrides]
        self._fresh_key()
        self.form_key, self.loaded = self.submit_key, True

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.saved, self.override_errors, self.override_saved = {}, "", {}, ""
        _, view, redirect = await guard_page(self, routes.PRO_HOURS, availability.get_availability)
        if redirect or view is None:
            return redirect
        self._show(view)
        return None

    @rx.event
    @submits
    async def save_hours(self, form_data: dict) -> rx.event.EventSpec | None:
        data = {k: str(form_data.get(k, ""))[:200] for k in HOURS_FIELDS}
        try:
            _, view = await call_as_actor(self, availability.set_hours, data=data)
        except DomainError as exc:
            self.errors, self.saved = errors_of(exc), ""
            return await fail(self, exc)
        self.errors, self.saved = {}, "Working hours saved."
        self._show(view)
        return None

    @rx.event
    @submits
    async def add_override(self, form_data: dict) -> rx.event.EventSpec | None:
        data = {k: str(form_data.get(k, ""))[:200] for k in OVERRIDE_FIELDS}
        try:
            _, view = await call_as_actor(self, availability.add_override, data=data)
        except DomainError as exc:
            self.override_errors, self.override_saved = errors_of(exc), ""
            return await fail(self, exc)
        self.override_errors = {}
        self.override_saved = "Day off saved." if not data["hours"].strip() else "Hours for that day saved."
        self._show(view)
        return None

    @rx.event
    async def remove_override(self, day: str) -> rx.event.EventSpec | None:
        try:
            _, view = await call_as_actor(self, availability.remove_override, day=str(day)[:20])
        except DomainError as exc:
            self.override_errors = errors_of(exc)
            return await fail(self, exc)
        self.override_errors, self.override_saved = {}, "Back to your weekly hours that day."
        self._show(view)
        return None
