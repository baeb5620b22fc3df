"""Login page state."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.models import Role
from hsa.services import signin
from hsa.services.errors import DomainError
from hsa.state.account import user_agent_of
from hsa.state.auth import SessionState, call_public, client_ip_of, guard_page
from hsa.state.forms import FormState, submits
from hsa.state.push import client_connected


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
        if not await client_connected(self):
            return None  # queued by a tab that has gone: nobody is waiting for this answer, hash nothing
        email = str(form_data.get("email", ""))[:254]
        password = str(form_data.get("password", ""))[:200]
        session_state = await self.get_state(SessionState)
        try:
            result = await call_public(signin.login, sign_in=True, email=email, password=password,
                                       client_ip=client_ip_of(self),
                                       device_token=str(session_state.device_token or "")[:120],
                                       device=user_agent_of(self))
        except DomainError as exc:
            self.error = exc.message
            return None
        self.error = ""
        session_state.sign_in(result.token, result.device_token)
        return rx.redirect(routes.HOME_FOR_ROLE[Role(result.role)])
