"""Admin console states. Every handler goes through a service that starts with require_admin."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import reflex as rx

from hsa import routes
from hsa.services import admin, changes, documents, stats, tracking
from hsa.services.errors import DomainError
from hsa.services.views import rupees
from hsa.services.wording import distance_label, experience_label, file_size_label
from hsa.state.auth import call_as_actor, errors_of, fail, guard_page
from hsa.state.forms import FormState, split_key, submits
from hsa.state.push import LiveState, live
from hsa.state.rows import RequestRow, request_row
from hsa.state.values import as_int

STATUS_LABELS = {"requested": "Waiting", "assigned": "Accepted", "in_progress": "In progress",
                 "completed": "Completed", "closed": "Closed", "cancelled": "Cancelled"}


def _int(value: object, default: int = 0) -> int:
    return as_int(value, default, low=0) or default


def _count_axis(values: list[int]) -> dict[str, Any]:
    """Whole-number ticks: step 1 for small counts, so no axis ever reads 1.8 or repeats '2'."""
    top = max(values or [0])
    return dict(tickformat="d", rangemode="tozero", dtick=1 if top <= 10 else None, range=[0, max(top, 1) * 1.1])


def _bar(labels: list[str], values: list[int], *, title: str, horizontal: bool = False) -> go.Figure:
    """Count charts: integer ticks only (a request count is never 1.8)."""
    bar = go.Bar(y=labels, x=values, orientation="h") if horizontal else go.Bar(x=labels, y=values)
    fig = go.Figure(bar)
    count_axis = _count_axis(values)
    if horizontal:
        fig.update_xaxes(**count_axis)
        fig.update_yaxes(type="category", autorange="reversed")  # pincodes are labels, not numbers
    else:
        fig.update_yaxes(**count_axis)
        fig.update_xaxes(type="category")
    fig.update_layout(title=title, height=300, margin=dict(l=10, r=10, t=40, b=10), template="plotly_white")
    return fig


@live(route=routes.ADMIN_HOME, interval=1.5)
class AdminHomeState(LiveState, rx.State):
    """The live summary dashboard: pushed on the `admin` topic, recomputed at most once a second."""

    kpis: dict[str, str] = {}
    has_ratings: bool = False
    status_chart: go.Figure = go.Figure()
    rating_chart: go.Figure = go.Figure()
    trend_chart: go.Figure = go.Figure()
    services_chart: go.Figure = go.Figure()
    pincodes_chart: go.Figure = go.Figure()
    error: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        _, _, redirect = await guard_page(self, routes.ADMIN_HOME)
        if redirect:
            return redirect
        result = await self.refresh()
        if result is None:
            await self._watch([changes.ADMIN])
        return result

    @rx.event
    async def refresh(self) -> rx.event.EventSpec | None:
        """Admin-only figures; the service refuses any other role even if a browser calls this."""
        self._mark_fresh()
        try:
            _, d = await call_as_actor(self, stats.dashboard, readonly=True)
        except DomainError as exc:
            self.kpis, self.error = {}, exc.message
            return await fail(self, exc)
        assert d is not None
        self._show(d)
        return None

    def _show(self, d: stats.Dashboard) -> None:
        self.error = ""
        self.kpis = {
            "customers": str(d.customers), "pros_approved": str(d.professionals_approved),
            "pros_pending": str(d.professionals_pending), "requests_today": str(d.requests_today),
            "requested": str(d.by_status["requested"]),
            "completion": f"{d.completion_rate:.0%}" if d.completion_rate is not None else "—",
            "rating": f"{d.average_rating:.2f} ★ ({d.ratings_count})" if d.average_rating is not None
            else "No ratings yet",
            "revenue": rupees(d.revenue_month_paise),
        }
        self.has_ratings = d.ratings_count > 0
        statuses = list(STATUS_LABELS)
        self.status_chart = _bar([STATUS_LABELS[s] for s in statuses], [d.by_status[s] for s in statuses],
                                 title="Requests by status")
        self.rating_chart = _bar([f"{r}★" for r in range(1, 6)], [d.rating_distribution[r] for r in range(1, 6)],
                                 title="Rating distribution")
        trend = go.Figure(go.Bar(x=[day for day, _ in d.bookings_per_day], y=[c for _, c in d.bookings_per_day]))
        trend.update_yaxes(**_count_axis([c for _, c in d.bookings_per_day]))
        trend.update_layout(title="Bookings per day (last 30 days)", height=300,
                            margin=dict(l=10, r=10, t=40, b=10), template="plotly_white")
        self.trend_chart = trend
        self.services_chart = _bar([n for n, _ in d.top_services], [c for _, c in d.top_services],
                                   title="Top services (30 days)", horizontal=True)
        self.pincodes_chart = _bar([p for p, _ in d.top_pincodes], [c for _, c in d.top_pincodes],
                                   title="Top pincodes (30 days)", horizontal=True)
        self.loaded = True

    async def _on_push(self, topics: frozenset[str]) -> bool:
        try:
            _, d = await call_as_actor(self, stats.dashboard, readonly=True)
        except DomainError:
            return False  # no longer an admin: stop pushing to this tab
        if d is not None:
            self._show(d)
        return True


async def _admin_call(state: rx.State, fn: Callable[..., Any], **kwargs: Any) -> tuple[Any, DomainError | None]:
    """Run an admin service; return (result, error) so handlers stay short."""
    try:
        _, result = await call_as_actor(state, fn, **kwargs)
        return result, None
    except DomainError as exc:
        return None, exc


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
        rows, err = await _admin_call(self, admin.list_applications, status=self.status)
        if err:
            self.error = err.message
            return await fail(self, err)
        self.applicants = [ApplicantRow(**{**a.__dict__, "document_size": file_size_label(a.document_size),
                                        "experience_label": experience_label(a.experience_years)})
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
        link, err = await _admin_call(self, documents.document_link, user_id=_int(user_id))
        if err:
            self.error = err.message
            return await fail(self, err)
        self.doc_user, self.doc_url = _int(user_id), link
        self.doc_type = next((a.document_type for a in self.applicants if a.user_id == _int(user_id)), "")
        return None

    @rx.event
    def show_reject(self, user_id: int) -> None:
        self.open_form = 0 if self.open_form == _int(user_id) else _int(user_id)
        self.errors = {}

    @rx.event
    async def approve(self, user_id: int) -> rx.event.EventSpec | None:
        return await self._decide(_int(user_id), True, "")

    @rx.event
    @submits
    async def reject(self, form_data: dict) -> rx.event.EventSpec | None:
        return await self._decide(_int(form_data.get("user_id")), False, str(form_data.get("reason", "")))

    async def _decide(self, user_id: int, approve: bool, reason: str) -> rx.event.EventSpec | None:
        _, err = await _admin_call(self, admin.decide_application, user_id=user_id, approve=approve, reason=reason)
        if err:
            self.errors, self.error, self.notice = errors_of(err), err.message, ""
            return await fail(self, err)
        self.errors, self.error, self.open_form, self.doc_url = {}, "", 0, ""
        self.notice = "Approved." if approve else "Rejected; the professional will see your reason."
        return await self._reload()


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
        result, err = await _admin_call(self, admin.search_users, q=f.get("q", ""), role=f.get("role", ""),
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
        self.page = max(1, _int(page, 1))
        return await self._reload()

    @rx.event
    def show_form(self, key: str) -> None:
        self.open_form = "" if self.open_form == key else str(key)[:40]
        self.errors = {}

    @rx.event
    @submits
    async def act(self, form_data: dict) -> rx.event.EventSpec | None:
        action = str(form_data.get("action", ""))
        user_id = _int(form_data.get("user_id"))
        reason = str(form_data.get("reason", ""))
        if action == "delete" and str(form_data.get("confirm", "")).strip().upper() != "DELETE":
            self.errors = {"confirm": "Type DELETE to confirm. This cannot be undone."}
            return None
        fn = {"block": admin.block_user, "unblock": admin.unblock_user, "delete": admin.delete_user}.get(action)
        if fn is None:
            self.error = "Unknown action."
            return None
        result, err = await _admin_call(self, fn, user_id=user_id, reason=reason)
        if err:
            self.errors, self.error, self.notice = errors_of(err), err.message, ""
            return await fail(self, err)
        self.errors, self.error, self.open_form = {}, "", ""
        self.notice = {"block": "Blocked. Their sessions have ended.", "unblock": "Unblocked.",
                       "delete": "Deleted. Personal details were anonymised; history is kept."}[action]
        if action == "block" and result:
            self.notice += f" {result} accepted job(s) went back to the open pool."
        return await self._reload()


@dataclass
class ServiceRowUI:
    id: int = 0
    name: str = ""
    description: str = ""
    price_rupees: str = ""
    price: str = ""
    duration_minutes: str = ""
    is_active: bool = True


class AdminServicesState(FormState, rx.State):
    services: list[ServiceRowUI] = []
    editing: int = 0  # 0 = the "new service" form
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.editing, self.errors, self.error, self.notice = 0, {}, "", ""
        _, _, redirect = await guard_page(self, routes.ADMIN_SERVICES)
        if redirect:
            return redirect
        self._fresh_key()
        return await self._reload()

    async def _reload(self) -> rx.event.EventSpec | None:
        rows, err = await _admin_call(self, admin.list_services)
        if err:
            self.error = err.message
            return await fail(self, err)
        self.services = [ServiceRowUI(id=s.id, name=s.name, description=s.description,
                                      price_rupees=str(s.base_price_paise // 100), price=rupees(s.base_price_paise),
                                      duration_minutes=str(s.duration_minutes), is_active=s.is_active) for s in rows]
        self.loaded = True
        return None

    @rx.event
    def edit(self, service_id: int) -> None:
        self.editing = 0 if self.editing == _int(service_id) else _int(service_id)
        self.errors = {}

    @rx.event
    @submits
    async def save(self, form_data: dict) -> rx.event.EventSpec | None:
        form_data, key = split_key(form_data)
        service_id = _int(form_data.get("service_id")) or None
        data = {"name": form_data.get("name", ""), "description": form_data.get("description", ""),
                "base_price_rupees": form_data.get("base_price_rupees", ""),
                "duration_minutes": form_data.get("duration_minutes", "")}
        _, err = await _admin_call(self, admin.save_service, data=data, service_id=service_id, idempotency_key=key)
        if err:
            self.errors, self.error, self.notice = errors_of(err), err.message, ""
            return await fail(self, err)
        self.errors, self.error, self.editing = {}, "", 0
        self.successes += 1
        self.notice = "Service saved." if service_id else "Service created."
        return await self._reload()

    @rx.event
    async def toggle(self, service_id: int, active: bool) -> rx.event.EventSpec | None:
        _, err = await _admin_call(self, admin.set_service_active, service_id=_int(service_id), active=bool(active))
        if err:
            self.error = err.message
            return await fail(self, err)
        self.notice = "Service activated." if active else "Service deactivated: it no longer appears for booking."
        return await self._reload()


@dataclass
class AuditRowUI:
    id: int = 0
    when: str = ""
    actor: str = ""
    action: str = ""
    target: str = ""
    details: str = ""


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
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.detail, self.events, self.error, self.live_position = [], [], "", ""
        _, _, redirect = await guard_page(self, routes.ADMIN_REQUESTS)
        if redirect:
            return redirect
        services, _ = await _admin_call(self, admin.list_services)
        self.service_options = [{"value": str(s.id), "label": s.name} for s in services or []]
        redirect = await self._reload()
        wanted = _int(self.router.url.query_parameters.get(routes.FOCUS_PARAM))
        return redirect or (await self._open(wanted) if wanted else None)

    async def _reload(self) -> rx.event.EventSpec | None:
        f = self.filters
        result, err = await _admin_call(
            self, admin.search_requests, status=f.get("status", ""), service_id=_int(f.get("service_id")) or None,
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
        self.page = max(1, _int(page, 1))
        return await self._reload()

    @rx.event
    async def open_request(self, request_id: int) -> rx.event.EventSpec | None:
        return await self._open(request_id)

    async def _open(self, request_id: int) -> rx.event.EventSpec | None:
        result, err = await _admin_call(self, admin.request_timeline, request_id=_int(request_id))
        if err:
            self.error = err.message
            return await fail(self, err)
        view, events = result
        self.detail = [request_row(view)]
        self.events = [AuditRowUI(**e.__dict__) for e in events]
        position, _ = await _admin_call(self, tracking.view_position, request_id=_int(request_id))
        self.live_position = _position_text(position) if position is not None else ""
        return None


def _position_text(v: tracking.TrackingView) -> str:
    """One line for support staff: the same numbers the customer sees."""
    if v.distance_km is None:
        return f"{v.professional_name}: {v.label}."
    eta = "arriving now" if v.arriving else f"about {v.eta_minutes} min away"
    age = f", updated {v.updated_seconds_ago} s ago" if v.updated_seconds_ago is not None else ""
    return f"{v.professional_name}: {v.label} · {distance_label(v.distance_km)}, {eta}{age}."


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
        result, err = await _admin_call(self, admin.audit_log, action=f.get("action", ""),
                                        target_type=f.get("target_type", ""),
                                        target_id=f.get("target_id", ""), page=self.page)
        if err:
            self.errors, self.error = errors_of(err), err.message
            return await fail(self, err)
        self.errors, self.error = {}, ""
        self.rows = [AuditRowUI(**r.__dict__) for r in result.rows]
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
        self.page = max(1, _int(page, 1))
        return await self._reload()
