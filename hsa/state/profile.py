"""Own profile and password change."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.i18n import formats
from hsa.i18n.text import say, tr
from hsa.services import accounts, erasure, prices
from hsa.services.errors import DomainError
from hsa.services.views import ProfileView
from hsa.state.auth import SessionState, call_as_actor, errors_of, fail, guard_page
from hsa.state.forms import FormState, submits
from hsa.state.my_data import MyDataState

PROFILE_FIELDS = ("full_name", "phone", "address", "pincode", "experience_years", "bio")
# A role and the catalog key of how the profile page names it.
ROLE_KEYS = {"customer": "profile.role_customer", "professional": "profile.role_professional",
             "admin": "profile.role_admin"}


def _profile_and_price(*, session, actor) -> tuple[ProfileView, prices.OwnPriceView | None]:  # noqa: ANN001
    """The page's data in one database trip: the profile and, for a professional, their own price."""
    view = accounts.get_profile(session=session, actor=actor)
    return view, prices.own_price(session=session, actor=actor) if view.role == "professional" else None


class ProfileState(FormState, rx.State):
    profile: dict[str, str] = {}
    is_professional: bool = False
    loaded: bool = False
    errors: dict[str, str] = {}
    error: str = ""
    saved: str = ""
    # the professional's own price (issue #16): its own form, errors and message
    price_label: str = ""    # "Your price for Plumbing (₹)"
    price_value: str = ""    # the field's value: '' is the base price
    price_hint: str = ""     # "Allowed ₹240–₹448 (80–150% of the base ₹299). Leave it blank to charge the base."
    price_now: str = ""      # "Customers now see ₹349."
    price_errors: dict[str, str] = {}
    price_saved: str = ""

    def _show_price(self, own: prices.OwnPriceView | None) -> None:
        if own is None:
            self.price_label = self.price_value = self.price_hint = self.price_now = ""
            return
        self.price_label = tr("profile.price_label", service=own.service_name)
        self.price_value = own.field_value
        band = f"{formats.rupees(own.low_paise)}–{formats.rupees(own.high_paise)}"
        self.price_hint = tr("profile.price_hint", band=band, low_pct=own.min_price_pct,
                             high_pct=own.max_price_pct, base=formats.rupees(own.base_paise))
        self.price_now = tr("profile.price_now_base" if own.own_paise is None else "profile.price_now",
                            price=formats.rupees(own.price_paise))

    def _show(self, view: ProfileView) -> None:
        self.profile = {
            "full_name": view.full_name, "email": view.email, "phone": view.phone,
            "address": view.address, "pincode": view.pincode, "locality": view.locality,
            "role": view.role, "role_label": tr(ROLE_KEYS[view.role]) if view.role in ROLE_KEYS else view.role,
            "service_name": say(view.service_name),
            "experience_years": str(view.experience_years), "bio": view.bio,
        }
        self.is_professional = view.role == "professional"
        self.loaded = True

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error, self.saved, self.loaded = {}, "", "", False
        self.price_errors, self.price_saved = {}, ""
        _, found, redirect = await guard_page(self, routes.PROFILE, _profile_and_price)
        if redirect or found is None:
            return redirect
        view, own = found
        self._show(view)
        self._show_price(own)
        return MyDataState.load  # the newest data archive, asked after the profile shows

    @rx.event
    @submits
    async def save_price(self, form_data: dict) -> rx.event.EventSpec | None:
        """The service checks the role, the band and the number; a refused price changes nothing."""
        try:
            _, own = await call_as_actor(self, prices.set_own_price,
                                         price_rupees=str(form_data.get(prices.PRICE_FIELD, ""))[:20])
        except DomainError as exc:
            self.price_errors, self.price_saved = errors_of(exc), ""
            if not self.price_errors:
                self.price_errors = {prices.PRICE_FIELD: exc.message}
            return await fail(self, exc)
        self._show_price(own)
        self.price_errors = {}
        self.price_saved = tr("profile.price_saved", now=self.price_now)
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
        self.errors, self.error, self.saved = {}, "", tr("profile.saved")
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
            self.errors = {"confirm_password": tr("profile.passwords_differ")}
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
        self.saved = tr("profile.password_changed")
        self.successes += 1
        return None


class DeleteAccountState(FormState, rx.State):
    """"Delete my account" on the profile page (the service checks the password and what is in flight)."""

    errors: dict[str, str] = {}

    @rx.event
    @submits
    async def submit(self, form_data: dict) -> rx.event.EventSpec | None:
        try:
            await call_as_actor(self, erasure.delete_own_account,
                                data={"password": str(form_data.get("password", ""))[:200]})
        except DomainError as exc:
            self.errors = errors_of(exc) or {"password": exc.message}
            return await fail(self, exc)
        self.errors = {}
        (await self.get_state(SessionState)).sign_out(tr("profile.deleted"))
        return rx.redirect(routes.LOGIN)
