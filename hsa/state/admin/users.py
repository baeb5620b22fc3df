"""Users: search, block, unblock and delete (with reason and confirmation)."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n.text import tr
from hsa.services import admin
from hsa.state.admin.common import admin_call, int_arg
from hsa.state.auth import errors_of, fail, guard_page
from hsa.state.forms import FormState, submits


@dataclass
class UserRowUI:
    id: int = 0
    full_name: str = ""
    email: str = ""
    phone: str = ""
    pincode: str = ""
    role: str = ""
    status: str = ""
    joined: str = ""


class AdminUsersState(FormState, rx.State):
    """Find users and act on fraud: block, unblock, delete (with reason and confirmation)."""

    users: list[UserRowUI] = []
    filters: dict[str, str] = {}
    page: int = 1
    pages: int = 1
    total: int = 0
    open_form: str = ""
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.open_form, self.error, self.notice = "", "", ""
        _, _, redirect = await guard_page(self, routes.ADMIN_USERS)
        if redirect:
            return redirect
        return await self._reload()

    async def _reload(self) -> rx.event.EventSpec | None:
        f = self.filters
        result, err = await admin_call(self, admin.search_users, q=f.get("q", ""), role=f.get("role", ""),
                                        status=f.get("status", ""), pincode=f.get("pincode", ""), page=self.page)
        if err:
            self.errors, self.error = errors_of(err), err.message
            return await fail(self, err)
        self.errors, self.error = {}, ""
        self.users = [UserRowUI(**u.__dict__) for u in result.rows]
        self.page, self.pages, self.total, self.loaded = result.page, result.pages, result.total, True
        return None

    @rx.event
    @submits
    async def search(self, form_data: dict) -> rx.event.EventSpec | None:
        keys = ("q", "role", "status", "pincode")
        self.filters = {k: str(form_data.get(k, ""))[:60] for k in keys}
        if self.filters["role"] not in ("", "customer", "professional", "admin"):
            self.filters["role"] = ""
        if self.filters["status"] not in ("", "active", "blocked", "deleted"):
            self.filters["status"] = ""
        self.page = 1
        return await self._reload()

    @rx.event
    async def go_page(self, page: int) -> rx.event.EventSpec | None:
        self.page = max(1, int_arg(page, 1))
        return await self._reload()

    @rx.event
    def show_form(self, key: str) -> None:
        self.open_form = "" if self.open_form == key else str(key)[:40]
        self.errors = {}

    @rx.event
    @submits
    async def act(self, form_data: dict) -> rx.event.EventSpec | None:
        action = str(form_data.get("action", ""))
        user_id = int_arg(form_data.get("user_id"))
        reason = str(form_data.get("reason", ""))
        if action == "delete" and str(form_data.get("confirm", "")).strip().upper() != "DELETE":
            self.errors = {"confirm": tr("admin_users.type_delete_error")}
            return None
        fn = {"block": admin.block_user, "unblock": admin.unblock_user, "delete": admin.delete_user}.get(action)
        if fn is None:
            self.error = tr("admin_users.unknown_action")
            return None
        result, err = await admin_call(self, fn, user_id=user_id, reason=reason)
        if err:
            self.errors, self.error, self.notice = errors_of(err), err.message, ""
            return await fail(self, err)
        self.errors, self.error, self.open_form = {}, "", ""
        self.notice = {"block": tr("admin_users.blocked_notice"), "unblock": tr("admin_users.unblocked_notice"),
                       "delete": tr("admin_users.deleted_notice")}[action]
        if action == "block" and result:
            self.notice += " " + tr("admin_users.jobs_released", count=result)
        return await self._reload()
