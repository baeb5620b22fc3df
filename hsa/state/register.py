"""Registration states (customer and professional)."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.i18n.text import say
from hsa.services import accounts, catalog
from hsa.services.errors import DomainError
from hsa.state.account import resay
from hsa.state.auth import call_public, client_ip_of, errors_of, guard_page
from hsa.state.forms import FormState, submits
from hsa.state.push import client_connected

CUSTOMER_FIELDS = ("full_name", "email", "phone", "password", "address", "pincode")
PRO_FIELDS = (*CUSTOMER_FIELDS, "service_id", "experience_years", "bio")


def _pick(form_data: dict, fields: tuple[str, ...]) -> dict:
    """Only known fields reach the service (extra keys from a crafted event are dropped)."""
    return {f: form_data[f] for f in fields if f in form_data}


class RegisterState(FormState, rx.State):
    errors: dict[str, str] = {}
    error: str = ""
    sent: str = ""  # "We sent a link to …": the same for a new and a taken email

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error, self.sent = {}, "", ""
        _, _, redirect = await guard_page(self, routes.REGISTER)
        return redirect

    @rx.event
    @submits
    async def submit(self, form_data: dict) -> rx.event.EventSpec | None:
        if not await client_connected(self):
            return None  # the tab has gone: create nothing, hash nothing
        try:
            result = await call_public(accounts.register_customer, sign_in=True, actor=None,
                                       data=_pick(form_data, CUSTOMER_FIELDS), client_ip=client_ip_of(self))
        except DomainError as exc:
            self.errors, self.error = errors_of(exc), exc.message
            return None
        self.errors, self.error, self.sent = {}, "", resay(result.message, "register.sent")
        return None


class RegisterProState(FormState, rx.State):
    errors: dict[str, str] = {}
    error: str = ""
    sent: str = ""
    service_options: list[dict[str, str]] = []

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error, self.sent = {}, "", ""
        _, _, redirect = await guard_page(self, routes.REGISTER_PRO)
        if redirect:
            return redirect
        services = await call_public(catalog.list_active_services)
        self.service_options = [{"value": str(s.id), "label": say(s.name)} for s in services]
        return None

    @rx.event
    @submits
    async def submit(self, form_data: dict) -> rx.event.EventSpec | None:
        if not await client_connected(self):
            return None
        data = _pick(form_data, PRO_FIELDS)
        data["service_id"] = data.get("service_id") or 0
        data["experience_years"] = data.get("experience_years") or 0
        try:
            result = await call_public(accounts.register_professional, sign_in=True, actor=None, data=data,
                                       client_ip=client_ip_of(self))
        except DomainError as exc:
            self.errors, self.error = errors_of(exc), exc.message
            return None
        self.errors, self.error, self.sent = {}, "", resay(result.message, "register.sent")
        return None
