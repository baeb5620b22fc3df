"""Vetting: pending, rejected and approved professionals with their documents."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n.text import say, tr
from hsa.services import admin, documents
from hsa.services.wording import experience_label, file_size_label
from hsa.state.admin.common import admin_call, int_arg
from hsa.state.auth import errors_of, fail, guard_page
from hsa.state.forms import FormState, submits


@dataclass
class ApplicantRow:
    user_id: int = 0
    full_name: str = ""
    email: str = ""
    phone: str = ""
    pincode: str = ""
    service_name: str = ""
    experience_years: int = 0
    bio: str = ""
    approval_status: str = ""
    approval_reason: str = ""
    has_document: bool = False
    document_name: str = ""
    document_type: str = ""
    document_size: str = ""
    experience_label: str = ""  # "3 years of experience" (pages: instead of experience_years + " yrs")
    submitted: str = ""


class AdminProsState(FormState, rx.State):
    """Vetting: pending (or rejected/approved) applications with their documents."""

    status: str = "pending"
    applicants: list[ApplicantRow] = []
    doc_user: int = 0
    doc_url: str = ""
    doc_type: str = ""
    open_form: int = 0
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.doc_user, self.doc_url, self.open_form, self.error, self.notice = 0, "", 0, "", ""
        _, _, redirect = await guard_page(self, routes.ADMIN_PROS)
        if redirect:
            return redirect
        return await self._reload()

    async def _reload(self) -> rx.event.EventSpec | None:
        rows, err = await admin_call(self, admin.list_applications, status=self.status)
        if err:
            self.error = err.message
            return await fail(self, err)
        self.applicants = [ApplicantRow(**{**a.__dict__, "service_name": say(a.service_name),
                                        "document_size": say(file_size_label(a.document_size)),
                                        "experience_label": say(experience_label(a.experience_years))})
                           for a in rows]
        self.loaded = True
        return None

    @rx.event
    async def show_status(self, status: str) -> rx.event.EventSpec | None:
        self.status = status if status in ("pending", "approved", "rejected") else "pending"
        self.doc_user, self.doc_url = 0, ""
        return await self._reload()

    @rx.event
    async def view_document(self, user_id: int) -> rx.event.EventSpec | None:
        """Mint a 5-minute signed link (admin checked in the service) and show it inline."""
        link, err = await admin_call(self, documents.document_link, user_id=int_arg(user_id))
        if err:
            self.error = err.message
            return await fail(self, err)
        self.doc_user, self.doc_url = int_arg(user_id), link
        self.doc_type = next((a.document_type for a in self.applicants if a.user_id == int_arg(user_id)), "")
        return None

    @rx.event
    def show_reject(self, user_id: int) -> None:
        self.open_form = 0 if self.open_form == int_arg(user_id) else int_arg(user_id)
        self.errors = {}

    @rx.event
    async def approve(self, user_id: int) -> rx.event.EventSpec | None:
        return await self._decide(int_arg(user_id), True, "")

    @rx.event
    @submits
    async def reject(self, form_data: dict) -> rx.event.EventSpec | None:
        return await self._decide(int_arg(form_data.get("user_id")), False, str(form_data.get("reason", "")))

    async def _decide(self, user_id: int, approve: bool, reason: str) -> rx.event.EventSpec | None:
        _, err = await admin_call(self, admin.decide_application, user_id=user_id, approve=approve, reason=reason)
        if err:
            self.errors, self.error, self.notice = errors_of(err), err.message, ""
            return await fail(self, err)
        self.errors, self.error, self.open_form, self.doc_url = {}, "", 0, ""
        self.notice = tr("admin_ops.approved") if approve else tr("admin_ops.rejected")
        return await self._reload()
