"""The professional's "Working hours" page: weekly hours, buffer, horizon and days off."""

from __future__ import annotations

from datetime import date

import reflex as rx

from hsa import routes
from hsa.i18n import DEFAULT, current, formats
from hsa.i18n.text import say, tr
from hsa.services import availability
from hsa.services.errors import DomainError
from hsa.state.auth import call_as_actor, errors_of, fail, guard_page
from hsa.state.forms import FormState, submits
from hsa.state.locale import t, tf
from hsa.state.rows import OverrideRow

HOURS_FIELDS = (*availability.WEEKDAYS, "buffer_minutes", "horizon_days")
# What the page lays out: (field, English name) per weekday (the page says it by the key hours.day_<field>),
# and the choices of the two selects (labels are catalog texts, said on the client).
DAY_FIELDS = tuple(zip(availability.WEEKDAYS, availability.WEEKDAY_NAMES, strict=True))
BUFFER_OPTIONS = [(str(m), t("hours.no_gap") if m == 0 else tf("hours.minutes", count=m))
                  for m in availability.BUFFER_CHOICES]
HORIZON_OPTIONS = [(str(d), tf("hours.days_ahead", count=d)) for d in availability.HORIZON_CHOICES]
OVERRIDE_FIELDS = ("start", "end", "hours")


def _day_label(day: str, english: str) -> str:
    """'Tue 8 Dec' as the service says it, or the same in the event's language ('मंगल 8 दिस॰')."""
    if current() == DEFAULT:
        return english
    try:
        return formats.day(date.fromisoformat(day))
    except ValueError:
        return english


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
        self.overrides = [OverrideRow(day=o.day, label=_day_label(o.day, o.label), hours=say(o.hours))
                          for o in view.overrides]
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
        self.errors, self.saved = {}, tr("hours.saved")
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
        self.override_saved = tr("hours.day_off_saved") if not data["hours"].strip() else tr("hours.day_hours_saved")
        self._show(view)
        return None

    @rx.event
    async def remove_override(self, day: str) -> rx.event.EventSpec | None:
        try:
            _, view = await call_as_actor(self, availability.remove_override, day=str(day)[:20])
        except DomainError as exc:
            self.override_errors = errors_of(exc)
            return await fail(self, exc)
        self.override_errors, self.override_saved = {}, tr("hours.override_removed")
        self._show(view)
        return None
