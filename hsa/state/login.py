"""Login page state."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.models import Role
from hsa.services import accounts
from hsa.services.errors import DomainError
from hsa.state.auth import SessionState, call_public, guard_page
from hsa.state.forms import FormState, submits


class LoginState(FormState, rx.State):
    error: str = ""

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.error = ""
        _, _, redirect = await guard_page(self, routes.LOGIN)
        return redirect

    @rx.event
    @submits
    async def submit(self, form_data: dict) -> rx.event.EventSpec | None:
        email = str(form_data.get("email", ""))
        password = str(form_data.get("password", ""))
        try:
            result = await call_public(accounts.login, email=email, password=password)
        except DomainError as exc:
            self.error = exc.message
            return None
        self.error = ""
        session_state = await self.get_state(SessionState)
        session_state.sign_in(result.token)
        return rx.redirect(routes.HOME_FOR_ROLE[Role(result.role)])
