"""The service catalog: create, edit, activate and deactivate services."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n import formats
from hsa.i18n.text import say, tr
from hsa.services import admin
from hsa.services.catalog import DESCRIPTION_MAX, NAME_MAX, TRANSLATED  # noqa: F401 - the form shows them
from hsa.services.views import ServiceView
from hsa.state.admin.common import admin_call, int_arg
from hsa.state.auth import errors_of, fail, guard_page
from hsa.state.forms import FormState, split_key, submits


@dataclass
class ServiceRowUI:
    id: int = 0
    name: str = ""                  # English, as the edit form shows it
    description: str = ""
    label: str = ""                 # the name in the page's language (English when not translated)
    summary: str = ""               # the description likewise
    name_hi: str = ""               # the saved translations, as the edit form shows them ("" = none)
    description_hi: str = ""
    name_kn: str = ""
    description_kn: str = ""
    price_rupees: str = ""
    price: str = ""
    duration_minutes: str = ""
    is_active: bool = True
    extra_cap_factor: str = "3"
    completion_code: bool = False
    min_price_pct: str = "80"
    max_price_pct: str = "150"
    commission_pct: str = "20"      # "12.5" when the commission is not whole
    cancel_fee_rupees: str = "99"
    free_cancel_hours: str = "3"
    money: str = ""                 # "Own prices 80–150% · 20% commission · ₹99 fee within 3 h"


MONEY_FIELDS = ("min_price_pct", "max_price_pct", "commission_pct", "cancel_fee_rupees", "free_cancel_hours")


def _pct(bps: int) -> str:
    """2000 -> "20", 1250 -> "12.5": the percentage as the admin typed it."""
    return f"{bps / 100:.2f}".rstrip("0").rstrip(".")


def _translations(s: ServiceView) -> dict[str, str]:
    """{"name_hi": ..., "description_kn": ...}: what the admin saved in each language ("" when nothing)."""
    texts = {"name": s.name, "description": s.description}
    return {key: getattr(texts[field], "versions", {}).get(lang, "") for field, lang, key, _ in TRANSLATED}


def service_row(s: ServiceView) -> ServiceRowUI:
    """One catalog entry for the admin's list and its edit form (form values are strings)."""
    return ServiceRowUI(
        id=s.id, name=str(s.name), description=str(s.description), label=say(s.name), summary=say(s.description),
        **_translations(s), price_rupees=str(s.base_price_paise // 100),
        price=formats.rupees(s.base_price_paise), duration_minutes=str(s.duration_minutes), is_active=s.is_active,
        extra_cap_factor=str(s.extra_cap_factor), completion_code=s.completion_code,
        min_price_pct=str(s.min_price_pct), max_price_pct=str(s.max_price_pct), commission_pct=_pct(s.commission_bps),
        cancel_fee_rupees=str(s.cancel_fee_paise // 100), free_cancel_hours=str(s.free_cancel_hours),
        money=tr("admin_catalog.money_line", low=s.min_price_pct, high=s.max_price_pct,
                 commission=_pct(s.commission_bps), fee=formats.rupees(s.cancel_fee_paise), hours=s.free_cancel_hours))


class AdminServicesState(FormState, rx.State):
    services: list[ServiceRowUI] = []
    editing: int = 0  # 0 = the "new service" form
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.editing, self.errors, self.error, self.notice = 0, {}, "", ""
        _, _, redirect = await guard_page(self, routes.ADMIN_SERVICES)
        if redirect:
            return redirect
        self._fresh_key()
        return await self._reload()

    async def _reload(self) -> rx.event.EventSpec | None:
        rows, err = await admin_call(self, admin.list_services)
        if err:
            self.error = err.message
            return await fail(self, err)
        self.services = [service_row(s) for s in rows]
        self.loaded = True
        return None

    @rx.event
    def edit(self, service_id: int) -> None:
        self.editing = 0 if self.editing == int_arg(service_id) else int_arg(service_id)
        self.errors = {}

    @rx.event
    @submits
    async def save(self, form_data: dict) -> rx.event.EventSpec | None:
        form_data, key = split_key(form_data)
        service_id = int_arg(form_data.get("service_id")) or None
        data = {"name": form_data.get("name", ""), "description": form_data.get("description", ""),
                "base_price_rupees": form_data.get("base_price_rupees", ""),
                "duration_minutes": form_data.get("duration_minutes", ""),
                "extra_cap_factor": form_data.get("extra_cap_factor", "3"),
                # an unticked checkbox is simply absent from the form's data
                "completion_code": form_data.get("completion_code") in ("on", "true", True),
                **{name: form_data.get(name, "") for name in MONEY_FIELDS},
                # the Hindi and Kannada name and description ("" = show the English; absent = keep)
                **{key: str(form_data[key]) for _, _, key, _ in TRANSLATED if key in form_data}}
        _, err = await admin_call(self, admin.save_service, data=data, service_id=service_id, idempotency_key=key)
        if err:
            self.errors, self.error, self.notice = errors_of(err), err.message, ""
            return await fail(self, err)
        self.errors, self.error, self.editing = {}, "", 0
        self.successes += 1
        self.notice = tr("admin_catalog.saved") if service_id else tr("admin_catalog.created")
        return await self._reload()

    @rx.event
    async def toggle(self, service_id: int, active: bool) -> rx.event.EventSpec | None:
        _, err = await admin_call(self, admin.set_service_active, service_id=int_arg(service_id), active=bool(active))
        if err:
            self.error = err.message
            return await fail(self, err)
        self.notice = tr("admin_catalog.activated") if active else tr("admin_catalog.deactivated")
        return await self._reload()
