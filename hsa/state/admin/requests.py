"""Request search with each request's timeline and live position."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.i18n.text import say, tr
from hsa.models import utcnow
from hsa.services import admin, tracking
from hsa.services.money import refunds
from hsa.services.views import rupees
from hsa.services.wording import distance_label
from hsa.state.admin.common import STATUS_LABELS, AuditRowUI, admin_call, int_arg, said_fields
from hsa.state.auth import errors_of, fail, guard_page
from hsa.state.forms import FormState, split_key, submits
from hsa.state.rows import RequestRow, request_row


class AdminRequestsState(FormState, rx.State):
    requests: list[RequestRow] = []
    service_options: list[dict[str, str]] = []
    filters: dict[str, str] = {}
    page: int = 1
    pages: int = 1
    total: int = 0
    detail: list[RequestRow] = []
    events: list[AuditRowUI] = []
    live_position: str = ""  # support: where the professional is, while the job is on its way
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.detail, self.events, self.error, self.live_position, self.notice = [], [], "", "", ""
        _, _, redirect = await guard_page(self, routes.ADMIN_REQUESTS)
        if redirect:
            return redirect
        services, _ = await admin_call(self, admin.list_services)
        self.service_options = [{"value": str(s.id), "label": s.name} for s in services or []]
        redirect = await self._reload()
        wanted = int_arg(self.router.url.query_parameters.get(routes.FOCUS_PARAM))
        return redirect or (await self._open(wanted) if wanted else None)

    async def _reload(self) -> rx.event.EventSpec | None:
        f = self.filters
        result, err = await admin_call(
            self, admin.search_requests, status=f.get("status", ""), service_id=int_arg(f.get("service_id")) or None,
            pincode=f.get("pincode", ""), date_from=f.get("date_from", ""), date_to=f.get("date_to", ""),
            customer=f.get("customer", ""), professional=f.get("professional", ""), page=self.page)
        if err:
            self.errors, self.error = errors_of(err), err.message
            return await fail(self, err)
        self.errors, self.error = {}, ""
        self.requests = [request_row(v) for v in result.rows]
        self.page, self.pages, self.total, self.loaded = result.page, result.pages, result.total, True
        return None

    @rx.event
    @submits
    async def search(self, form_data: dict) -> rx.event.EventSpec | None:
        keys = ("status", "service_id", "pincode", "date_from", "date_to", "customer", "professional")
        self.filters = {k: str(form_data.get(k, ""))[:60] for k in keys}
        if self.filters["status"] not in ("", *STATUS_LABELS):
            self.filters["status"] = ""
        self.page = 1
        return await self._reload()

    @rx.event
    async def go_page(self, page: int) -> rx.event.EventSpec | None:
        self.page = max(1, int_arg(page, 1))
        return await self._reload()

    @rx.event
    async def open_request(self, request_id: int) -> rx.event.EventSpec | None:
        return await self._open(request_id)

    async def _open(self, request_id: int) -> rx.event.EventSpec | None:
        result, err = await admin_call(self, admin.request_timeline, request_id=int_arg(request_id))
        if err:
            self.error = err.message
            return await fail(self, err)
        view, events = result
        self.detail = [request_row(view)]
        self.events = [AuditRowUI(**said_fields(e)) for e in events]
        position, _ = await admin_call(self, tracking.view_position, request_id=int_arg(request_id))
        self.live_position = _position_text(position) if position is not None else ""
        return None


    @rx.event
    @submits
    async def refund(self, form_data: dict) -> rx.event.EventSpec | None:
        """Refund through the gateway (the service checks the role, the amount and the key)."""
        form_data, key = split_key(form_data)
        request_id = int_arg(form_data.get("request_id"))
        result, err = await admin_call(self, refunds.refund_by_admin, request_id=request_id,
                                       amount_rupees=form_data.get("amount_rupees", ""),
                                       reason=str(form_data.get("reason", ""))[:300], now=utcnow(),
                                       idempotency_key=key)
        if err:
            self.errors, self.error = errors_of(err), err.message
            return await fail(self, err)
        self.errors, self.error = {}, ""
        self.notice = tr("admin_requests.refund_sent", amount=rupees(result))
        return await self._open(request_id)


def _position_text(v: tracking.TrackingView) -> str:
    """One line for support staff: the same numbers the customer sees."""
    label = say(v.label)
    if v.distance_km is None:
        return f"{v.professional_name}: {label}."
    eta = tr("admin_requests.eta_now") if v.arriving else tr("admin_requests.eta_minutes", minutes=v.eta_minutes)
    age = (", " + tr("admin_requests.updated_ago", seconds=v.updated_seconds_ago)
           if v.updated_seconds_ago is not None else "")
    return f"{v.professional_name}: {label} · {distance_label(v.distance_km)}, {eta}{age}."
