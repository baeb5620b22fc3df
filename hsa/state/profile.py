"""Own profile and password change."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.services import accounts
from hsa.services.errors import DomainError
from hsa.services.views import ProfileView
from hsa.state.auth import SessionState, call_as_actor, errors_of, fail, guard_page
from hsa.state.forms import FormState, submits

PROFILE_FIELDS = ("full_name", "phone", "address", "pincode", "experience_years", "bio")


class ProfileState(FormState, rx.State):
    profile: dict[str, str] = {}
    is_professional: bool = False
    loaded: bool = False
    errors: dict[str, str] = {}
    error: str = ""
    saved: str = ""

    def _show(self, view: ProfileView) -> None:
        self.profile = {
            "full_name": view.full_name, "email": view.email, "phone": view.phone,
            "address": view.address, "pincode": view.pincode, "locality": view.locality,
            "role": view.role, "service_name": view.service_name,
            "experience_years": str(view.experience_years), "bio": view.bio,
        }
        self.is_professional = view.role == "professional"
        self.loaded = True

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error, self.saved, self.loaded = {}, "", "", False
        _, view, redirect = await guard_page(self, routes.PROFILE, accounts.get_profile)
        if redirect or view is None:
            return redirect
        self._show(view)
        return None

    @rx.event
    @submits
    async def save(self, form_data: dict) -> rx.event.EventSpec | None:
        data = {k: form_data[k] for k in PROFILE_FIELDS if k in form_data}
        if not self.is_professional:
            data.pop("experience_years", None)
            data.pop("bio", None)
        try:
            _, view = await call_as_actor(self, accounts.update_profile, data=data)
        except DomainError as exc:
            self.errors, self.error, self.saved = errors_of(exc), exc.message, ""
            return await fail(self, exc)
        assert view is not None
        self._show(view)
        self.errors, self.error, self.saved = {}, "", "Profile saved."
        (await self.get_state(SessionState)).viewer_name = view.full_name
        return None


class PasswordState(FormState, rx.State):
    errors: dict[str, str] = {}
    error: str = ""
    saved: str = ""

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error, self.saved = {}, "", ""
        _, _, redirect = await guard_page(self, routes.PASSWORD)
        return redirect

    @rx.event
    @submits
    async def submit(self, form_data: dict) -> rx.event.EventSpec | None:
        data = {k: str(form_data.get(k, "")) for k in ("current_password", "new_password")}
        if data["new_password"] != str(form_data.get("confirm_password", "")):
            self.errors = {"confirm_password": "The two new passwords do not match."}
            self.error, self.saved = "", ""
            return None
        try:
            _, token = await call_as_actor(self, accounts.change_password, data=data)
        except DomainError as exc:
            self.errors, self.error, self.saved = errors_of(exc), exc.message, ""
            return await fail(self, exc)
        assert token is not None
        (await self.get_state(SessionState)).sign_in(token)
        self.errors, self.error = {}, ""
        self.saved = "Password changed. Other devices have been logged out."
        self.successes += 1
        return None
