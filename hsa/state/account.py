"""Account recovery and proof pages: forgot / reset password, the mailed sign-up link, verify.

Every handler here is public to any browser: the link's token and the typed code are checked by
the services (`hsa.services.recovery`, `hsa.services.verification`), which also throttle them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import reflex as rx

from hsa import routes
from hsa.i18n import DEFAULT, current
from hsa.i18n.catalog import messages
from hsa.i18n.text import Localized, Text, say, tr
from hsa.models import Role
from hsa.services import account_links, account_sessions, recovery, verification
from hsa.services.errors import DomainError
from hsa.state.auth import SessionState, call_as_actor, call_public, client_ip_of, errors_of, fail, guard_page
from hsa.state.forms import FormState, submits
from hsa.state.push import client_connected
from hsa.state.rows import said_moment

MAX_TOKEN = 100


def _token(state: rx.State) -> str:
    return str(state.router.url.query_parameters.get("token", ""))[:MAX_TOKEN]


def _split(exc: DomainError) -> tuple[dict[str, str], str]:
    """Field messages beside their fields; the form-level alert only for what has no field
    (these forms have one or two fields: the same sentence twice would be noise)."""
    errors = errors_of(exc)
    return errors, "" if errors else exc.message


@cache
def _shape(key: str) -> re.Pattern[str]:
    """The English text of `key` as a pattern, each {placeholder} a named group."""
    parts = re.split(r"\{(\w+)\}", messages(DEFAULT)[key])
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)))


def resay(text: str, *keys: str) -> str:
    """A sentence a service returned, in the current event's language: a keyed `msg` by its key; an
    English sentence shaped like one of `keys`' English texts (parameters and all) as that key;
    anything else through the English index (`say`). English is returned as it came."""
    if isinstance(text, (Text, Localized)) or current() == DEFAULT:
        return say(text)
    for key in keys:
        found = _shape(key).fullmatch(text)
        if found:
            return tr(key, **found.groupdict())
    return say(text)


def user_agent_of(state: rx.State) -> str:
    """The tab's User-Agent (for "Where you're signed in"; shortened by the session service)."""
    return str(state.router.headers.user_agent or "")[:500]


class ForgotState(FormState, rx.State):
    """"Forgot password?": one email field; the answer never says whether the account exists."""

    errors: dict[str, str] = {}
    error: str = ""
    sent: str = ""

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error, self.sent = {}, "", ""
        _, _, redirect = await guard_page(self, routes.FORGOT_PASSWORD)
        return redirect

    @rx.event
    @submits
    async def submit(self, form_data: dict) -> None:
        if not await client_connected(self):
            return
        try:
            said = await call_public(recovery.request_reset, email=str(form_data.get("email", ""))[:254],
                                     client_ip=client_ip_of(self))
            self.sent = resay(said, "account.reset_asked")
        except DomainError as exc:
            self.errors, self.error, self.sent = *_split(exc), ""
            return
        self.errors, self.error = {}, ""


class ResetState(FormState, rx.State):
    """The page behind the mailed link: choose a new password, then be signed in here only."""

    errors: dict[str, str] = {}
    error: str = ""
    link_open: bool = False
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error, self.loaded = {}, "", False
        _, _, redirect = await guard_page(self, routes.RESET_PASSWORD)
        if redirect:
            return redirect
        self.link_open = await call_public(recovery.link_is_open, token=_token(self))
        self.loaded = True
        return None

    @rx.event
    @submits
    async def submit(self, form_data: dict) -> rx.event.EventSpec | None:
        new = str(form_data.get("new_password", ""))[:200]
        if new != str(form_data.get("confirm_password", ""))[:200]:
            self.errors, self.error = {"confirm_password": tr("account.passwords_differ")}, ""
            return None
        try:
            result = await call_public(recovery.reset_password, sign_in=True, token=_token(self),
                                       data={"new_password": new}, device=user_agent_of(self))
        except DomainError as exc:
            self.errors, self.error = _split(exc)
            if "token" in self.errors:
                self.link_open = False
            return None
        self.errors, self.error = {}, ""
        session_state = await self.get_state(SessionState)
        session_state.sign_in(result.token, result.device_token)
        session_state.flash = tr("account.password_changed")
        return rx.redirect(routes.HOME_FOR_ROLE[Role(result.role)])


class VerifyEmailState(rx.State):
    """The sign-up link's page. Opening it changes nothing (mail scanners and link previews open
    links too); "Confirm my email" proves the address and signs this browser in."""

    error: str = ""
    link_open: bool = False
    loaded: bool = False

    @rx.event
    async def load(self) -> None:
        self.error, self.loaded = "", False
        self.link_open = await call_public(verification.email_link_is_open, token=_token(self))
        if not self.link_open:
            self.error = say(account_links.INVALID)
        self.loaded = True

    @rx.event
    async def confirm(self) -> rx.event.EventSpec | None:
        self.error = ""
        try:
            result = await call_public(verification.confirm_email, token=_token(self), device=user_agent_of(self))
        except DomainError as exc:
            self.error, self.link_open = exc.message, False
            return None
        session_state = await self.get_state(SessionState)
        session_state.sign_in(result.token, result.device_token)
        session_state.flash = tr("account.email_confirmed")
        return rx.redirect(routes.VERIFY)


# What the verification services answer (their English sentences, said again in the reader's language).
_VERIFY_SAID = ("account.email_already", "account.link_sent_again", "account.phone_already", "account.code_sent",
                "account.phone_verified")


class VerifyState(FormState, rx.State):
    """Where an account proves its email (send the link again) and its number (SMS code)."""

    email: str = ""
    email_verified: bool = False
    phone: str = ""
    phone_verified: bool = False
    code_sent: bool = False
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    loaded: bool = False

    def _show(self, view: verification.VerificationView | None) -> None:
        if view is None:
            return
        self.email, self.email_verified = view.email, view.email_verified
        self.phone, self.phone_verified = say(verification.masked(view.phone)), view.phone_verified
        self.code_sent = view.code_sent
        self.loaded = True

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error = {}, ""
        _, view, redirect = await guard_page(self, routes.VERIFY, verification.status)
        if redirect:
            return redirect
        session_state = await self.get_state(SessionState)
        self.notice, session_state.flash = session_state.flash, ""
        self._show(view)
        return None

    async def _refresh(self) -> None:
        _, view = await call_as_actor(self, verification.status, readonly=True)
        self._show(view)
        (await self.get_state(SessionState)).viewer_verified = self.email_verified and self.phone_verified

    @rx.event
    @submits
    async def send_link(self, form_data: dict) -> rx.event.EventSpec | None:
        try:
            _, said = await call_as_actor(self, verification.send_email_link)
        except DomainError as exc:
            self.errors, self.error, self.notice = *_split(exc), ""
            return await fail(self, exc)
        self.errors, self.error, self.notice = {}, "", resay(said or "", *_VERIFY_SAID)
        return None

    @rx.event
    @submits
    async def send_code(self, form_data: dict) -> rx.event.EventSpec | None:
        try:
            _, said = await call_as_actor(self, verification.send_code)
        except DomainError as exc:
            self.errors, self.error, self.notice = *_split(exc), ""
            return await fail(self, exc)
        self.errors, self.error, self.notice = {}, "", resay(said or "", *_VERIFY_SAID)
        await self._refresh()
        return None

    @rx.event
    @submits
    async def confirm_code(self, form_data: dict) -> rx.event.EventSpec | None:
        try:
            _, said = await call_as_actor(self, verification.confirm_code,
                                          data={"code": str(form_data.get("code", ""))[:20]})
        except DomainError as exc:
            self.errors, self.error, self.notice = *_split(exc), ""
            await self._refresh()
            return await fail(self, exc)
        self.errors, self.error, self.notice = {}, "", resay(said or "", *_VERIFY_SAID)
        await self._refresh()
        return None


@dataclass
class SessionRow:
    id: int = 0
    device: str = ""
    signed_in: str = ""
    last_seen: str = ""
    current: bool = False


class SessionsState(rx.State):
    """"Where you're signed in": the actor's own devices, each with "Sign out"."""

    rows: list[SessionRow] = []
    error: str = ""
    notice: str = ""
    loaded: bool = False

    def _show(self, views: list | None) -> None:
        self.rows = [SessionRow(id=v.id, device=resay(v.device, "account.device_on"),
                                signed_in=said_moment(v.signed_in), last_seen=said_moment(v.last_seen),
                                current=v.current) for v in views or []]
        self.loaded = True

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.error, self.notice = "", ""
        token = (await self.get_state(SessionState)).auth_token
        _, views, redirect = await guard_page(self, routes.SESSIONS, account_sessions.list_own, current_token=token)
        if redirect:
            return redirect
        self._show(views)
        return None

    @rx.event
    async def revoke(self, session_id: int | str) -> rx.event.EventSpec | None:
        """Sign one device out; the service refuses anything but the caller's own sessions."""
        wanted = int(session_id) if str(session_id).isdigit() else 0
        try:
            await call_as_actor(self, account_sessions.revoke_own, session_id=wanted)
        except DomainError as exc:
            self.error = exc.message
            return await fail(self, exc)
        token = (await self.get_state(SessionState)).auth_token
        _, views = await call_as_actor(self, account_sessions.list_own, readonly=True, current_token=token)
        self._show(views)
        self.error, self.notice = "", tr("account.device_signed_out")
        return None
