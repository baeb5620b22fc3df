"""The professional's home: approval status, availability, job board, earnings and ratings (live)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import reflex as rx

from hsa import routes
from hsa.i18n import formats
from hsa.i18n.text import say, tr
from hsa.services import accounts, bookings, changes, disputes, documents, jobs, review_flags, tracking, wording
from hsa.services.errors import DomainError, NotAuthenticated, ValidationFailed
from hsa.state.actions import done_notice
from hsa.state.auth import call_as_actor, errors_of, fail, guard_page
from hsa.state.forms import FormState, split_key, submits
from hsa.state.push import LiveState, client_connected, live, on_page
from hsa.state.quality import QualityState
from hsa.state.rows import RequestRow, ReviewRow, request_row, review_row
from hsa.state.uploads import read_one
from hsa.state.values import action_form, as_int, focus_script, numbers_in, reveal_form

DOC_MAX_BYTES = documents.MAX_BYTES  # for the page's browser-side hint; the handler enforces it


# Each flag reason (review_flags.REASONS) and the catalog key of its label, for the flag form.
FLAG_REASON_KEYS = [(k.value, f"cards.flag_{k.value}") for k in review_flags.REASONS]


@live(route=routes.PRO_HOME, interval=1.0, slow={"pool:": 3.0})
class ProHomeState(LiveState, FormState, rx.State):
    """Pushed to on changes to their own jobs/profile (`user:<id>`) and their service's pool."""

    approval_status: str = ""
    approval_reason: str = ""
    service_name: str = ""
    experience_years: int = 0
    available: bool = False
    radius_km: int = 15
    addressed: list[RequestRow] = []
    open_nearby: list[RequestRow] = []
    today: list[RequestRow] = []
    upcoming: list[RequestRow] = []
    history: list[RequestRow] = []
    earnings: str = ""
    jobs_done: int = 0
    rating_avg: str = ""
    rating_count: int = 0
    rating_count_label: str = ""
    jobs_done_label: str = ""
    experience_label: str = ""
    reviews: list[ReviewRow] = []
    document_name: str = ""
    document_uploaded: str = ""
    document_url: str = ""
    open_form: str = ""
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    loaded: bool = False
    focus: int = 0  # the job a notification linked to (?request=<id>), highlighted
    acted_on: int = 0  # the card whose action's outcome is shown on it (0: the page's message area)
    trip_id: int = 0  # the job whose customer sees this phone's position ("On my way")
    share_status: str = ""
    share_error: str = ""
    _sharing: bool = False

    async def _reload_board(self) -> None:
        if self.approval_status != "approved":
            return
        try:
            _, b = await call_as_actor(self, jobs.board, readonly=True)
        except DomainError:
            return  # not (or no longer) an approved professional: show nothing
        if b is None:
            return
        self.available, self.radius_km = b.available, b.service_radius_km
        self.addressed = [request_row(v) for v in b.addressed]
        self.open_nearby = [request_row(v) for v in b.open_nearby]
        self.today = [request_row(v) for v in b.today]
        self.upcoming = [request_row(v) for v in b.upcoming]
        self.history = [request_row(v) for v in b.history]
        self.earnings, self.jobs_done = b.earnings, b.jobs_done
        self.rating_avg = f"{b.rating_avg:.1f}" if b.rating_count else tr("pro.no_ratings")
        self.rating_count = b.rating_count
        self.rating_count_label = _counted(b.rating_count, "pro.review_one", "pro.review_many", zero="pro.no_reviews")
        self.jobs_done_label = _counted(b.jobs_done, "pro.jobs_done_one", "pro.jobs_done_many")
        self.reviews = [review_row(r) for r in b.reviews]

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.open_form, self.errors, self.error, self.notice, self.acted_on = "", {}, "", "", 0
        actor, profile, redirect = await guard_page(self, routes.PRO_HOME, accounts.get_profile)
        if redirect or profile is None or actor is None:
            return redirect
        self._show_profile(profile)
        self.document_url = ""
        self._fresh_key()
        self._mark_fresh()
        await self._reload_board()
        self.loaded = True
        await self._watch([changes.user(actor.id), changes.pool(profile.service_id)])
        _, trip = await call_as_actor(self, tracking.active_trip, readonly=True)
        self.trip_id = trip or 0
        wanted = as_int(self.router.url.query_parameters.get(routes.FOCUS_PARAM)) or 0
        shown = (*self.addressed, *self.open_nearby, *self.today, *self.upcoming, *self.history)
        self.focus = wanted if any(r.id == wanted for r in shown) else 0
        events: list = [rx.call_script(focus_script(f"job-{self.focus}"))] if self.focus else []
        events.append(QualityState.load)  # where they stand on quality (warning, pause, appeal)
        return [*events, ProHomeState.share_location] if trip else events

    def _show_profile(self, profile: accounts.ProfileView) -> None:
        self.approval_status = profile.approval_status
        self.approval_reason = profile.approval_reason
        self.service_name = profile.service_name
        self.experience_years = profile.experience_years
        self.experience_label = _experience(profile.experience_years)
        self.document_name, self.document_uploaded = profile.document_name, say(profile.document_uploaded)

    async def _reload_pool(self) -> None:
        try:
            _, views = await call_as_actor(self, jobs.open_pool, readonly=True)
        except DomainError:
            return
        self.open_nearby = [request_row(v) for v in views or []]

    @rx.event
    async def upload_document(self, files: list[rx.UploadFile]) -> rx.event.EventSpec | None:
        """Size and type are enforced here and in the service (the browser's limits are only hints)."""
        self.errors, self.error, self.notice = {}, "", ""
        data, self.errors = await read_one(files, field="document", missing=tr("pro.doc_missing"),
                                           max_bytes=documents.MAX_BYTES)
        if data is None:
            return None
        try:
            _, stored = await call_as_actor(self, documents.upload_document, filename=files[0].name or "document",
                                            data=data)
        except DomainError as exc:
            self.errors, self.error = errors_of(exc), ""
            return await fail(self, exc)
        assert stored is not None
        self.document_name, self.document_uploaded, self.document_url = stored.original_name, tr("pro.just_now"), ""
        self.approval_status, self.notice = stored.approval_status, say(stored.notice)  # a new document is re-reviewed
        return rx.clear_selected_files("doc")

    @rx.event
    async def view_document(self) -> rx.event.EventSpec | None:
        actor, _ = await call_as_actor(self)
        if actor is None:
            return await fail(self, NotAuthenticated())
        try:
            _, link = await call_as_actor(self, documents.document_link, user_id=actor.id)
        except DomainError as exc:
            self.error = exc.message
            return None
        self.document_url = link or ""
        return None

    @rx.event
    def show_form(self, key: str) -> rx.event.EventSpec | None:
        """UI only: which inline form is open (scrolled into view: it may open below the fold)."""
        self.open_form = "" if self.open_form == key else key[:40]
        self.errors, self.error = {}, ""
        return reveal_form(self.open_form)

    @rx.event
    async def set_available(self, available: bool) -> rx.event.EventSpec | None:
        return await self._run(jobs.set_availability, tr("pro.availability_updated"), available=bool(available))

    @rx.event
    @submits
    async def save_radius(self, form_data: dict) -> rx.event.EventSpec | None:
        return await self._run(jobs.set_availability, tr("pro.radius_saved"), available=self.available,
                               radius_km=as_int(form_data.get("radius_km")) or 0)

    @rx.event
    @submits
    async def act(self, form_data: dict) -> rx.event.EventSpec | None:
        """Every job action the process offers a professional, all through bookings.transition."""
        form_data, key = split_key(form_data)
        request_id, action, data = action_form(form_data)
        return await self._run(bookings.transition, done_notice(action), request_id=request_id or 0, action=action,
                               data=numbers_in(data), idempotency_key=key)

    @rx.event
    @submits
    async def answer_dispute(self, form_data: dict) -> rx.event.EventSpec | None:
        """The professional's side of a customer's complaint (the service checks it is their job)."""
        return await self._run(disputes.answer, tr("pro.dispute_answered"),
                               request_id=as_int(form_data.get("request_id")) or 0,
                               data={"answer": str(form_data.get("answer", ""))[:1000]})

    @rx.event
    @submits
    async def flag_review(self, form_data: dict) -> rx.event.EventSpec | None:
        """Ask support to look at a review (abusive, another job); the service checks it is about them."""
        return await self._run(review_flags.flag, tr("pro.review_flagged"),
                               review_id=as_int(form_data.get("review_id")) or 0,
                               reason=str(form_data.get("reason", ""))[:20], note=str(form_data.get("note", ""))[:500])

    async def _run(self, fn, message: str, **kwargs: object) -> rx.event.EventSpec | None:  # noqa: ANN001
        on_card = fn in (bookings.transition, disputes.answer)
        self.acted_on = int(kwargs["request_id"]) if on_card else 0  # type: ignore[call-overload]
        try:
            await call_as_actor(self, fn, **kwargs)
        except DomainError as exc:
            self.errors, self.error, self.notice = errors_of(exc), exc.message, ""
            await self._reload_board()
            self._keep_message_in_sight()
            return await fail(self, exc)
        self.open_form, self.errors, self.error, self.notice = "", {}, "", message
        self._mark_fresh()
        await self._reload_board()
        self._keep_message_in_sight()
        return None

    def _keep_message_in_sight(self) -> None:
        """A card that left the board (a job taken by someone else, a declined request) cannot
        carry its message: show it in the page's message area instead."""
        shown = (*self.addressed, *self.open_nearby, *self.today, *self.upcoming, *self.history)
        if not any(r.id == self.acted_on for r in shown):
            self.acted_on = 0

    # ------------------------------------------------------------ "On my way" and location sharing

    @rx.event
    @submits
    async def start_trip(self, form_data: dict) -> rx.event.EventSpec | None:
        """Open the trip (service checks it is their accepted job, within the start window)."""
        request_id = as_int(form_data.get("request_id"))
        self.acted_on = request_id or 0
        try:
            await call_as_actor(self, tracking.start_trip, request_id=request_id or 0)
        except DomainError as exc:
            self.error, self.notice = exc.message, ""
            return await fail(self, exc)
        self.trip_id, self.error, self.share_error = request_id or 0, "", ""
        self.notice = tr("pro.trip_started")
        self.share_status = tr("pro.waiting_location")
        return ProHomeState.share_location

    @rx.event(background=True)
    async def share_location(self) -> rx.event.EventSpec | None:  # type: ignore[misc]
        """Ask the browser for a fix every second while a trip is open and this page is shown.

        The service stores at most one fix per 3 s and refuses implausible ones; the loop ends
        when the job is no longer active, the tab navigates away or disconnects.
        """
        async with self:
            if self._sharing:
                return
            self._sharing = True
        try:
            while True:
                async with self:
                    if not self.trip_id or not on_page(self, routes.PRO_HOME) or not await client_connected(self):
                        return
                yield rx.call_script(GEOLOCATE_JS, callback=ProHomeState.got_position)
                await asyncio.sleep(SHARE_SECONDS)
        finally:
            async with self:
                self._sharing = False

    @rx.event
    async def got_position(self, fix: dict) -> None:
        """One fix from the browser; anything odd is refused by the service and stored nowhere."""
        if not self.trip_id:
            return
        if not isinstance(fix, dict) or "error" in fix or "lat" not in fix:
            message = say(str(fix.get("error", ""))[:120]) if isinstance(fix, dict) else ""
            self.share_error = tr("pro.location_unavailable", reason=message or tr("pro.no_fix_yet"))
            return
        stamp = fix.get("ts")
        recorded_at = datetime.fromtimestamp(stamp / 1000, UTC) if isinstance(stamp, int | float) \
            and 0 < stamp < 1e14 else None
        try:
            _, view = await call_as_actor(self, tracking.record_position, request_id=self.trip_id,
                                          lat=fix.get("lat"), lon=fix.get("lon"), accuracy_m=fix.get("accuracy"),
                                          recorded_at=recorded_at)
        except ValidationFailed as exc:
            self.share_error = next(iter(exc.fields.values()), exc.message)
            return
        except DomainError:
            self.trip_id, self.share_status, self.share_error = 0, "", ""  # the job ended: stop sharing
            return
        self.share_error = ""
        if view is not None:
            self.share_status = tr("pro.sharing_status", label=say(view.label)) + (
                tr("pro.to_go", distance=wording.distance_label(view.distance_km))
                if view.distance_km is not None else "")

    async def _on_push(self, topics: frozenset[str]) -> bool:
        """Their own jobs or profile changed: reload everything; only the pool: just the pool."""
        if any(t.startswith("user:") for t in topics):
            actor, profile = await call_as_actor(self, _own_profile, readonly=True)
            if actor is None or profile is None:
                return False
            self._show_profile(profile)
            await self._reload_board()
        elif self.approval_status == "approved":
            await self._reload_pool()
        return True


def _counted(count: int, one: str, many: str, *, zero: str | None = None) -> str:
    """'1 review', '12 reviews', or the `zero` text, in the event's language (keys of the catalog)."""
    if count == 0 and zero is not None:
        return tr(zero)
    return tr(one if count == 1 else many, count=formats.number(count))


def _experience(years: int) -> str:
    """'5 years of experience'; 0 reads 'Less than a year of experience' (as `wording.experience_label`)."""
    if years <= 0:
        return tr("pro.experience_none")
    return tr("pro.experience_one" if years == 1 else "pro.experience_many", years=formats.number(years))


SHARE_SECONDS = 1.0
GEOLOCATE_JS = """new Promise(resolve => {
  if (!navigator.geolocation) { resolve({error: "this browser cannot share its location"}); return; }
  navigator.geolocation.getCurrentPosition(
    p => resolve({lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy, ts: p.timestamp}),
    e => resolve({error: e.message}), {enableHighAccuracy: true, maximumAge: 0, timeout: 8000});
})"""


def _own_profile(*, session, actor) -> accounts.ProfileView | None:  # noqa: ANN001 - service-style signature
    try:
        return accounts.get_profile(session=session, actor=actor)
    except DomainError:
        return None
