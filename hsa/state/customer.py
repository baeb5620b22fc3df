"""Customer pages: find a professional, book, and follow "My requests" live."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n import formats
from hsa.i18n.text import msg, say, tr
from hsa.models import utcnow
from hsa.services import accounts, bookings, catalog, changes, disputes, prices, search, slot_picker, tracking
from hsa.services.errors import DomainError
from hsa.services.money import checkout as checkout_service
from hsa.services.views import ProfileView, ServiceView
from hsa.settings import get_settings
from hsa.state.actions import done_notice
from hsa.state.auth import SessionState, call_as_actor, errors_of, fail, guard_page
from hsa.state.catalog_view import service_rows
from hsa.state.describe import FROM_DESCRIBE, DescribeState
from hsa.state.dispute_photo import DisputePhotoMixin
from hsa.state.forms import FormState, split_key, submits
from hsa.state.push import LiveState, live
from hsa.state.recommendations import RecommendState
from hsa.state.rows import BillLine, ProRow, RequestRow, TrackRow, price_label, pro_row, request_row, track_row
from hsa.state.slot_picker import SlotPickerMixin
from hsa.state.values import action_form, as_int, focus_script, numbers_in, post_form_script, reveal_form

BOOKING_FIELDS = ("service_id", "day", "time", "address", "pincode", "remarks", "preferred_professional_id")


class CustomerHomeState(FormState, rx.State):
    """Catalog plus professional search (service, pincode, name), ranked by the service layer."""

    services: list[dict[str, str]] = []
    service_options: list[dict[str, str]] = []
    results: list[ProRow] = []
    errors: dict[str, str] = {}
    pincode: str = ""
    locality: str = ""
    searched: bool = False
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        _, profile, redirect = await guard_page(self, routes.CUSTOMER_HOME, accounts.get_profile)
        if redirect or profile is None:
            return redirect
        _, services = await call_as_actor(self, catalog.list_active_services, readonly=True)
        self.services = service_rows(services or [])
        self.service_options = [{"value": s["id"], "label": s["name"]} for s in self.services]
        self.pincode, self.locality = profile.pincode, profile.locality
        self.results, self.errors, self.searched = [], {}, False
        self.loaded = True
        return None

    @rx.event
    @submits
    async def search(self, form_data: dict) -> rx.event.EventSpec | None:
        pincode = str(form_data.get("pincode", "")).strip()
        try:
            _, cards = await call_as_actor(
                self, search.search_professionals, service_id=as_int(form_data.get("service_id")),
                pincode=pincode, q=str(form_data.get("q", ""))[:50], readonly=True)
        except DomainError as exc:
            self.errors = errors_of(exc)
            self.results = []
            return await fail(self, exc)
        self.errors, self.searched = {}, True
        self.results = [pro_row(c) for c in cards or []]
        return RecommendState.load(str(form_data.get("service_id", "")))  # suggestions for what was searched


@dataclass(frozen=True)
class _BookPage:
    profile: ProfileView
    services: list[ServiceView]
    card: search.ProfessionalCard | None
    quote: prices.QuoteView | None
    picker: slot_picker.Picker | None


def _book_page(*, session, actor, service_id: int | None, pro_id: int | None  # noqa: ANN001 - service-style
               ) -> _BookPage:
    """The booking page's data in one database trip: the customer's address, the catalog, the
    preferred professional's card, and the price breakdown for the service it opens with."""
    profile = accounts.get_profile(session=session, actor=actor)
    services = catalog.list_active_services(session=session, actor=actor)
    card = search.bookable_professional(session=session, actor=actor, user_id=pro_id) if pro_id else None
    chosen = card.service_id if card is not None else service_id
    quote = found = None
    if chosen and any(s.id == chosen for s in services):
        pro = card.user_id if card else None
        quote = prices.booking_quote(session=session, actor=actor, service_id=chosen, professional_id=pro)
        found = slot_picker.picker(session=session, actor=actor, service_id=chosen, pincode=profile.pincode,
                                   professional_id=pro)
    return _BookPage(profile, services, card, quote, found)


class BookState(SlotPickerMixin, FormState, rx.State):
    service_options: list[dict[str, str]] = []
    service_id: str = ""
    preferred_id: str = ""
    preferred_name: str = ""
    preferred_price: str = ""  # "₹349 · base ₹299": the price the booking keeps if they decline
    address: str = ""
    pincode: str = ""
    errors: dict[str, str] = {}
    error: str = ""
    loaded: bool = False
    bill: list[BillLine] = []  # the breakdown before "Confirm booking" (the server's numbers, issue #16)
    policy: str = ""           # the chosen service's cancellation policy, in one sentence
    remarks: str = ""          # pre-filled from "Describe your problem"
    form_key: str = ""         # new on every load: the form's fields remount with the new defaults

    def _show_quote(self, quote: prices.QuoteView | None) -> None:
        self.bill = [BillLine(label=say(a), amount=b) for a, b in quote.lines] if quote is not None else []
        self.policy = say(quote.policy) if quote is not None else ""

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.loaded, self.errors, self.error = False, {}, ""
        params = self.router.url.query_parameters
        _, page, redirect = await guard_page(self, routes.BOOK, _book_page, service_id=as_int(params.get("service")),
                                             pro_id=as_int(params.get("pro")))
        if redirect or page is None:
            return redirect
        self.service_options = [{"value": str(s.id), "label": f"{say(s.name)} · {formats.rupees(s.base_price_paise)}"}
                                for s in page.services]
        wanted = str(params.get("service", ""))
        self.service_id = wanted if any(o["value"] == wanted for o in self.service_options) else ""
        self.preferred_id, self.preferred_name, self.preferred_price = "", "", ""
        if page.card is not None:
            self.preferred_id, self.preferred_name = str(page.card.user_id), page.card.full_name
            self.preferred_price = price_label(page.card.price_paise, page.card.base_price_paise)
            self.service_id = str(page.card.service_id)
        self._show_quote(page.quote)
        self.address, self.pincode = page.profile.address, page.profile.pincode
        described = params.get("from") == FROM_DESCRIBE
        self.remarks = (await self.get_state(DescribeState)).remarks() if described else ""
        self.slots_pincode, self.week_start, self.day, self.time = page.profile.pincode, "", "", ""
        self._show_picker(page.picker)
        self._fresh_key()
        self.form_key, self.loaded = self.submit_key, True
        return None

    @rx.event
    async def pick_service(self, value: str) -> rx.event.EventSpec | None:
        """Another service chosen: show its breakdown (at the preferred professional's price if
        they offer it), as the service computes it; the form never carries a price."""
        service_id = as_int(value)
        self.service_id = str(service_id or "")
        if not service_id:
            self._show_quote(None)
            self._show_picker(None)
            return None
        try:
            _, quote = await call_as_actor(self, prices.booking_quote, service_id=service_id,
                                           professional_id=as_int(self.preferred_id), readonly=True)
        except DomainError as exc:
            self._show_quote(None)
            self.errors = errors_of(exc)
            return await fail(self, exc)
        self.errors = {k: v for k, v in self.errors.items() if k != "service_id"}
        self._show_quote(quote)
        await self._refresh_slots()
        return None

    @rx.event
    @submits
    async def submit(self, form_data: dict) -> rx.event.EventSpec | None:
        form_data, key = split_key(form_data)
        data = {k: form_data[k] for k in BOOKING_FIELDS if form_data.get(k) not in (None, "")}
        data["service_id"] = as_int(data.get("service_id")) or 0
        if "preferred_professional_id" in data:
            data["preferred_professional_id"] = as_int(data["preferred_professional_id"])
        try:
            await call_as_actor(self, bookings.book, data=data, idempotency_key=key)
        except DomainError as exc:
            self.errors, self.error = errors_of(exc), exc.message
            return await fail(self, exc)
        self.errors, self.error = {}, ""
        (await self.get_state(SessionState)).flash = tr("customer.booked")
        return rx.redirect(routes.MY_REQUESTS)


@live(route=routes.MY_REQUESTS, interval=0.5)
class RequestsState(DisputePhotoMixin, LiveState, FormState, rx.State):
    """The customer's requests; updates live while the page is open (pushed on `user:<id>`)."""

    requests: list[RequestRow] = []
    open_form: str = ""  # "<id>:<action>" of the inline form being shown
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    loaded: bool = False
    tracking: bool = False  # a professional is on the way or at work: show the live map
    track: TrackRow = TrackRow()
    tile_url: str = ""
    tile_attribution: str = ""
    focus: int = 0  # the booking a notification linked to (?request=<id>), highlighted
    acted_on: int = 0  # the card whose action's outcome is shown on it (0: the page's message area)
    older: bool = False  # finished bookings beyond those shown exist ("Show older")
    _past_limit: int = bookings.PAST_PAGE

    async def _reload(self) -> None:
        _, found = await call_as_actor(self, _requests_and_tracking, readonly=True, preferred=self.track.request_id,
                                       past_limit=self._past_limit)
        self._show(found)

    def _show(self, found: tuple[list, bool, tracking.TrackingView | None] | None) -> None:
        views, self.older, view = found or ([], False, None)
        self.requests = [request_row(v) for v in views]
        self.tracking = view is not None
        self.track = track_row(view) if view is not None else TrackRow()

    @rx.event
    async def open_tracking(self, request_id: int | str) -> rx.event.EventSpec | None:
        """Show the live map of one request; the service lets only its customer (or an admin) see it."""
        try:
            _, view = await call_as_actor(self, tracking.view_position, request_id=as_int(request_id) or 0,
                                          readonly=True)
        except DomainError as exc:
            self.tracking, self.track, self.error, self.acted_on = False, TrackRow(), exc.message, 0
            return await fail(self, exc)
        if view is None:
            self.tracking, self.track = False, TrackRow()
            self.notice, self.acted_on = tr("customer.tracking_not_started"), 0
            return None
        self.tracking, self.track, self.error = True, track_row(view), ""
        return None

    @rx.event
    async def show_older(self) -> None:
        """Twenty more finished bookings (the service caps how far; it shows only the caller's own)."""
        self._past_limit = min(self._past_limit + bookings.PAST_PAGE, bookings.PAST_MAX)
        self._mark_fresh()
        await self._reload()

    @rx.event
    async def load(self) -> rx.event.EventSpec | list | None:
        self.open_form, self.errors, self.error, self.acted_on = "", {}, "", 0
        self._past_limit = bookings.PAST_PAGE
        self._mark_fresh()
        actor, found, redirect = await guard_page(self, routes.MY_REQUESTS, _requests_and_tracking,
                                                  preferred=self.track.request_id, past_limit=self._past_limit)
        if redirect or actor is None:
            return redirect
        session_state = await self.get_state(SessionState)
        self.notice, session_state.flash = session_state.flash, ""
        settings = get_settings()
        self.tile_url, self.tile_attribution = settings.map_tile_url, settings.map_attribution
        self._fresh_key()
        self._show(found)
        self.loaded = True
        await self._watch([changes.user(actor.id)])
        params = self.router.url.query_parameters
        wanted = as_int(params.get(routes.FOCUS_PARAM)) or 0
        self.focus = wanted if any(r.id == wanted for r in self.requests) else 0
        self._payment_outcome(str(params.get("payment", "")))
        return rx.call_script(focus_script(f"request-{self.focus}")) if self.focus else None

    def _payment_outcome(self, outcome: str) -> None:
        """Back from the gateway's page (`?payment=`): say what happened, beside that booking (only
        one of theirs: the query string is anyone's to type, so it must match what the card says)."""
        row = next((r for r in self.requests if r.id == self.focus), None)
        if row is None or not outcome:
            return
        if outcome == "paid" and row.paid_amount != "":
            self.notice = tr("customer.payment_received")
        elif outcome == "failed" and row.payment_error != "":
            self.error = tr("customer.payment_failed")
        elif outcome == "pending":
            self.notice = tr("customer.payment_pending")
        elif outcome == "invalid":
            self.error = tr("customer.payment_invalid")
        else:
            return
        self.acted_on = row.id

    @rx.event
    @submits
    async def pay_online(self, form_data: dict) -> rx.event.EventSpec | None:
        """Open the gateway's payment page for what this booking owes (the amount is the server's)."""
        request_id = as_int(form_data.get("request_id"))
        self.acted_on = request_id or 0
        try:
            if request_id is None:
                raise DomainError(msg("customer.choose_request"))
            _, checkout = await call_as_actor(self, checkout_service.start_checkout, request_id=request_id,
                                              now=utcnow())
        except DomainError as exc:
            self.error = exc.message
            return await fail(self, exc)
        self.error = ""
        return rx.call_script(post_form_script(checkout.action, checkout.fields))

    @rx.event
    def show_form(self, key: str) -> rx.event.EventSpec | None:
        """UI only: which inline form is open (scrolled into view: it may open below the fold)."""
        self.open_form = "" if self.open_form == key else key[:40]
        self.errors, self.error = {}, ""
        return reveal_form(self.open_form)

    @rx.event
    @submits
    async def act(self, form_data: dict) -> rx.event.EventSpec | None:
        """Every customer action goes through bookings.transition with the actor re-resolved."""
        form_data, key = split_key(form_data)
        request_id, action, data = action_form(form_data)
        data = numbers_in(data)
        self.acted_on = request_id or 0
        try:
            if request_id is None:
                raise DomainError(msg("customer.choose_request"))
            await call_as_actor(self, bookings.transition, request_id=request_id, action=action, data=data,
                                idempotency_key=key)
        except DomainError as exc:
            self.errors, self.error = errors_of(exc), exc.message
            return await fail(self, exc)
        self.open_form, self.errors, self.error = "", {}, ""
        self.notice = done_notice(action)
        self._mark_fresh()
        await self._reload()
        return None

    @rx.event
    @submits
    async def open_dispute(self, form_data: dict) -> rx.event.EventSpec | None:
        """"Report a problem" on a completed job (the service checks it is theirs and in time)."""
        request_id = as_int(form_data.get("request_id")) or 0
        self.acted_on = request_id
        try:
            await call_as_actor(self, disputes.open_dispute, request_id=request_id,
                                data={k: str(form_data.get(k, ""))[:1000] for k in ("reason", "details")})
        except DomainError as exc:
            self.errors, self.error = errors_of(exc), exc.message
            return await fail(self, exc)
        self.open_form, self.errors, self.error = "", {}, ""
        self.notice = tr("customer.dispute_opened")
        self._mark_fresh()
        await self._reload()
        return None

    async def _on_push(self, topics: frozenset[str]) -> bool:
        try:
            actor, found = await call_as_actor(self, _requests_and_tracking, readonly=True,
                                               preferred=self.track.request_id, past_limit=self._past_limit)
        except DomainError:
            return False  # no longer a customer: stop pushing to this tab
        if actor is None:
            return False
        self._show(found)
        if self.acted_on == 0:
            self.notice = ""  # a message from before ("Booked! We'll tell you…") is overtaken by the change
        return True


def _requests_and_tracking(*, session, actor, preferred: int = 0,  # noqa: ANN001 - service-style signature
                           past_limit: int = bookings.PAST_PAGE
                           ) -> tuple[list[bookings.RequestView], bool, tracking.TrackingView | None]:
    """The customer's requests (finished ones paged), whether older ones exist and, for the one
    being followed (else the first on its way), the live position — one database round trip for
    the page and for every push."""
    views, older = bookings.customer_requests_page(session=session, actor=actor, past_limit=past_limit)
    active = [v.id for v in views if v.status in {status.value for status in tracking.ACTIVE}]
    for request_id in ([preferred] if preferred in active else []) + active:
        view = tracking.view_position(session=session, actor=actor, request_id=request_id)
        if view is not None:
            return views, older, view
    return views, older, None
