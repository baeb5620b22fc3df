"""States for the three role homes. Each load re-checks the actor; services re-check the role."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.services import accounts, catalog, stats
from hsa.services.errors import DomainError
from hsa.state.auth import call_as_actor, fail, guard_page
from hsa.state.catalog_view import service_rows


class CustomerHomeState(rx.State):
    services: list[dict[str, str]] = []
    locality: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        _, profile, redirect = await guard_page(self, routes.CUSTOMER_HOME, accounts.get_profile)
        if redirect:
            return redirect
        _, services = await call_as_actor(self, catalog.list_active_services)
        self.services = service_rows(services or [])
        self.locality = f"{profile.locality} ({profile.pincode})" if profile else ""
        self.loaded = True
        return None


class ProHomeState(rx.State):
    approval_status: str = ""
    approval_reason: str = ""
    service_name: str = ""
    experience_years: int = 0
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        _, profile, redirect = await guard_page(self, routes.PRO_HOME, accounts.get_profile)
        if redirect or profile is None:
            return redirect
        self.approval_status = profile.approval_status
        self.approval_reason = profile.approval_reason
        self.service_name = profile.service_name
        self.experience_years = profile.experience_years
        self.loaded = True
        return None


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
