"""The filterable audit log of admin actions."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.services import admin
from hsa.state.admin.common import AuditRowUI, admin_call, int_arg, said_fields
from hsa.state.auth import errors_of, fail, guard_page
from hsa.state.forms import FormState, submits


class AdminAuditState(FormState, rx.State):
    rows: list[AuditRowUI] = []
    filters: dict[str, str] = {}
    page: int = 1
    pages: int = 1
    total: int = 0
    errors: dict[str, str] = {}
    error: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        _, _, redirect = await guard_page(self, routes.ADMIN_AUDIT)
        if redirect:
            return redirect
        return await self._reload()

    async def _reload(self) -> rx.event.EventSpec | None:
        f = self.filters
        result, err = await admin_call(self, admin.audit_log, action=f.get("action", ""),
                                        target_type=f.get("target_type", ""),
                                        target_id=f.get("target_id", ""), page=self.page)
        if err:
            self.errors, self.error = errors_of(err), err.message
            return await fail(self, err)
        self.errors, self.error = {}, ""
        self.rows = [AuditRowUI(**said_fields(r)) for r in result.rows]
        self.page, self.pages, self.total, self.loaded = result.page, result.pages, result.total, True
        return None

    @rx.event
    @submits
    async def search(self, form_data: dict) -> rx.event.EventSpec | None:
        self.filters = {k: str(form_data.get(k, ""))[:60] for k in ("action", "target_type", "target_id")}
        self.page = 1
        return await self._reload()

    @rx.event
    async def go_page(self, page: int) -> rx.event.EventSpec | None:
        self.page = max(1, int_arg(page, 1))
        return await self._reload()
