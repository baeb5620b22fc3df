"""Admin dashboard state: headline figures, admin-only at the service layer."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.services import stats
from hsa.services.errors import DomainError
from hsa.state.auth import call_as_actor, fail, guard_page


class AdminHomeState(rx.State):
    summary: dict[str, int] = {}
    error: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        _, _, redirect = await guard_page(self, routes.ADMIN_HOME)
        if redirect:
            return redirect
        return await self.refresh()

    @rx.event
    async def refresh(self) -> rx.event.EventSpec | None:
        """Admin-only figures; the service refuses any other role even if a browser calls this."""
        try:
            _, summary = await call_as_actor(self, stats.admin_summary)
        except DomainError as exc:
            self.summary = {}
            self.error = exc.message
            return await fail(self, exc)
        assert summary is not None
        self.error = ""
        self.summary = dict(summary.__dict__)
        self.loaded = True
        return None
