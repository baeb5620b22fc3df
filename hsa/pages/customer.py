"""Customer pages: search and catalog, booking form, My requests."""

import reflex as rx

from hsa import routes
from hsa.components.actions import action_buttons, action_forms, card_messages
from hsa.components.cards import service_card
from hsa.components.describe import describe_box
from hsa.components.disputes import add_photo, dispute_panel, report_problem
from hsa.components.favourites import favourites_panel
from hsa.components.forms import (
    TAP,
    form,
    form_alert,
    notice,
    select_field,
    submit_button,
    text_area,
    text_field,
)
from hsa.components.layout import template
from hsa.components.map import tracking_map
from hsa.components.payment import money_panel
from hsa.components.recommendations import recommendations
from hsa.components.requests import (
    detail,
    hidden,
    message_link,
    reschedule_callout,
    stars,
    status_badge,
    timeline,
)
from hsa.components.slot_picker import slot_picker
from hsa.state.actions import CUSTOMER_ACTIONS
from hsa.state.auth import SessionState
from hsa.state.customer import BookState, CustomerHomeState, RequestsState
from hsa.state.locale import t, tf
from hsa.state.recommendations import RecommendState


def _around(text: rx.Var, name: str, value: rx.Component) -> list[rx.Var | rx.Component]:
    """A catalog text (a Var) with its `{name}` placeholder shown as the component `value` (bold,
    with its own id): the text is cut on the client, so each language puts it where its grammar
    needs it. Other placeholders are filled first with `tf`."""
    parts = text.to(str).split("{" + name + "}")
    return [parts[0], value, parts[1]]


def _pro_result(pro: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(rx.link(pro.full_name, href=routes.PRO_PROFILE + "?id=" + pro.user_id.to_string(),
                                   class_name="profile-link"), size="4", as_="h3"),
                rx.badge("★ ", pro.rating, " · ", pro.rating_count_label, color_scheme="amber", size="2"),
                justify="between", width="100%", wrap="wrap",
            ),
            rx.text(pro.service_name, " · ", pro.experience_label, size="2"),
            rx.text(rx.text.strong(pro.price), size="2", class_name="pro-price"),
            rx.text(pro.locality, rx.cond(pro.distance != "", rx.text.span(" · ", pro.distance)), size="2",
                    color_scheme="gray"),
            rx.cond(pro.bio != "", rx.text(pro.bio, size="2")),
            rx.link(rx.button(tf("customer.book_pro", name=pro.full_name.split(" ")[0]), size="3", width="100%",
                              min_height=TAP),
                    href=routes.BOOK + "?service=" + pro.service_id.to_string() + "&pro="
                    + pro.user_id.to_string(), width="100%"),
            spacing="2", align="start", width="100%",
        ),
        class_name="pro-result",
    )


def _search_form() -> rx.Component:
    s = CustomerHomeState
    return form(
        rx.vstack(
            select_field(t("customer.service"), "service_id", s.errors, s.service_options,
                         placeholder="customer.any_service", required=False, field_id="search-service"),
            text_field(t("customer.pincode_or_locality"), "pincode", s.errors, value=s.pincode, max_length=60,
                       required=False, placeholder=t("customer.pincode_example")),
            text_field(t("customer.pro_name_optional"), "q", s.errors, required=False, max_length=50),
            submit_button(t("customer.search"), busy=s.busy),
            spacing="2", width="100%",
        ),
        on_submit=s.search, name="search", busy=s.busy, width="100%", id="search-form",
    )


@template(route=routes.CUSTOMER_HOME, title="customer.find_title", on_load=CustomerHomeState.load)
def customer_home() -> rx.Component:
    return rx.cond(CustomerHomeState.loaded, rx.vstack(
        rx.heading(tf("customer.hello", name=SessionState.viewer_name), size="7", id="welcome"),
        rx.hstack(
            rx.link(rx.button(t("nav.my_requests"), size="3", variant="soft", min_height=TAP), href=routes.MY_REQUESTS),
            rx.link(rx.button(t("customer.book_service"), size="3", min_height=TAP), href=routes.BOOK),
            spacing="2", wrap="wrap",
        ),
        describe_box(),
        rx.heading(t("customer.find_title"), size="5", as_="h2"),
        rx.text(tf("customer.near", locality=CustomerHomeState.locality), size="2"),
        _search_form(),
        favourites_panel(),
        recommendations(RecommendState.picks, loaded=RecommendState.loaded, error=RecommendState.error,
                        on_mount=RecommendState.load("")),
        rx.cond(CustomerHomeState.searched, rx.cond(
            CustomerHomeState.results.length() > 0,
            rx.box(rx.foreach(CustomerHomeState.results, _pro_result), class_name="card-grid", id="results"),
            rx.text(t("customer.no_results"), id="results"),
        )),
        rx.heading(t("nav.services"), size="5", as_="h2"),
        rx.box(rx.foreach(CustomerHomeState.services, lambda s: rx.link(
            service_card(s), href=routes.BOOK + "?service=" + s["id"], underline="none")), class_name="card-grid"),
        spacing="4", id="customer-dashboard", width="100%",
    ), rx.spinner(size="3"))


def _price_breakdown() -> rx.Component:
    """What the booking will cost, before "Confirm booking": the service's lines as the server
    computed them (re-priced when another service is chosen), and the cancellation policy. A
    polite live region, so a screen reader hears the new total after the service changes."""
    return rx.box(
        rx.cond(BookState.bill.length() > 0, rx.vstack(
            rx.heading(t("customer.price"), size="3", as_="h2", id="price-heading"),
            rx.el.dl(rx.foreach(BookState.bill, lambda line: rx.el.div(
                rx.el.dt(line.label), rx.el.dd(line.amount), class_name="bill-line")),
                class_name="bill", id="price-breakdown", aria_labelledby="price-heading"),
            rx.text(t("customer.extras_note"), size="1",
                    color_scheme="gray"),
            rx.text(BookState.policy, size="2", id="cancel-policy"),
            spacing="2", width="100%",
        )),
        aria_live="polite", width="100%", id="price",
    )


@template(route=routes.BOOK, title="customer.book_service", on_load=BookState.load)
def book() -> rx.Component:
    errors = BookState.errors
    return rx.cond(BookState.loaded, rx.vstack(
        rx.heading(t("customer.book_service"), size="7"),
        describe_box(),
        form_alert(BookState.error),
        form(
            rx.vstack(
                select_field(t("customer.service"), "service_id", errors, BookState.service_options,
                             placeholder="customer.choose_service", value=BookState.service_id,
                             on_change=BookState.pick_service),
                rx.cond(BookState.preferred_name != "", rx.callout(
                    rx.text(*_around(tf("customer.requesting", price=BookState.preferred_price), "name",
                                     rx.text.strong(BookState.preferred_name))),
                    icon="user", id="preferred")),
                hidden("preferred_professional_id", BookState.preferred_id),
                text_field(t("customer.address"), "address", errors, value=BookState.address, max_length=300),
                text_field(t("customer.pincode"), "pincode", errors, value=BookState.pincode, input_mode="numeric",
                           max_length=8, on_blur=BookState.pick_pincode),
                slot_picker(BookState, errors),
                text_area(t("customer.remarks_for_pro"), "remarks", errors, value=BookState.remarks),
                _price_breakdown(),
                submit_button(t("customer.confirm_booking"), busy=BookState.busy),
                spacing="2", width="100%",
            ),
            on_submit=BookState.submit, name="book", busy=BookState.busy, idempotency_key=BookState.submit_key,
            width="100%", id="book-form", key=BookState.form_key,
        ),
        spacing="4", class_name="narrow",
    ), rx.spinner(size="3"))


def _process_panels(r: rx.Var) -> rx.Component:
    """What the process asks of the customer now: the start code, an extra charge, a new time."""
    return rx.fragment(
        rx.cond(r.start_code != "", rx.callout(
            rx.text(*_around(rx.cond(r.status == "assigned", t("customer.start_code_line"),
                                     t("customer.completion_code_line")), "code",
                             rx.text.strong(r.start_code, class_name="start-code", id="code-" + r.id.to_string()))),
            icon="key-round", color_scheme="blue", size="1")),
        rx.cond(r.code_locked, rx.callout(t("customer.code_locked"),
                                          icon="shield-alert", color_scheme="red", size="1")),
        rx.cond(r.pending_extra != "", rx.callout(
            rx.text(*_around(tf("customer.extra_asks", name=r.professional_name, reason=r.pending_extra_reason),
                             "amount", rx.text.strong(r.pending_extra))),
            icon="receipt", color_scheme="amber", size="1", id="extra-" + r.id.to_string())),
        reschedule_callout(r, me="customer", other="professional"),
    )


def _request_card(r: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.heading(r.service_name, size="4", as_="h3"), status_badge(r.status),
                      justify="between", width="100%", wrap="wrap"),
            rx.text(r.when, rx.cond(r.total != "", " · " + r.total, ""), size="2", weight="medium"),
            rx.cond(r.profile_href != "", rx.text(
                rx.text.strong(t("customer.professional_label")), rx.link(r.professional_name, href=r.profile_href,
                                                          class_name="profile-link"), size="2")),
            rx.cond(r.book_again_href != "", rx.link(
                rx.button(t("customer.book_again"), size="3", variant="soft", min_height=TAP), href=r.book_again_href,
                id="book-again-" + r.id.to_string())),
            message_link(r, t("customer.your_professional")),
            detail(t("customer.requested_from"), r.preferred_professional_name),
            detail(t("customer.address"), r.address),
            detail(t("customer.remarks"), r.remarks),
            rx.cond(r.extra_charge_reason != "", rx.callout(
                rx.text(tf("customer.extra_charge_line", amount=r.extra_charge, reason=r.extra_charge_reason,
                        total=r.total)),
                icon="receipt", color_scheme="amber", size="1")),
            detail(t("customer.declined_because"), r.decline_reason),
            rx.cond(r.status == "cancelled", rx.text(tf("customer.cancelled_by", who=r.cancelled_by,
                                                        reason=r.cancel_reason), size="2", color_scheme="red")),
            money_panel(r, RequestsState),
            rx.cond(r.rating > 0, rx.hstack(stars(r.rating), rx.text(r.review, size="2"))),
            timeline(r.timeline),
            _process_panels(r),
            rx.hstack(
                rx.cond(((r.status == "assigned") | (r.status == "in_progress"))
                        & (~RequestsState.tracking | (RequestsState.track.request_id != r.id)),
                        rx.button(t("customer.track"), size="3", min_height=TAP, variant="soft",
                                  on_click=RequestsState.open_tracking(r.id), id="track-" + r.id.to_string())),
                action_buttons(r, CUSTOMER_ACTIONS, RequestsState, prefix="request"),
                spacing="2", wrap="wrap",
            ),
            action_forms(r, CUSTOMER_ACTIONS, RequestsState, prefix="request"),
            dispute_panel(r),
            report_problem(r, RequestsState),
            add_photo(r, RequestsState),
            card_messages(r, RequestsState),
            spacing="2", align="start", width="100%",
        ),
        id="request-" + r.id.to_string(), width="100%",
        class_name=rx.cond(RequestsState.focus == r.id, "request-card focused", "request-card"),
    )


def _tracking_panel() -> rx.Component:
    """Live position, distance and ETA of the professional on the way (text first: it is the
    fallback when map tiles cannot load, and what a screen reader announces)."""
    trk = RequestsState.track
    return rx.cond(RequestsState.tracking, rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(trk.professional_name, size="4", as_="h2"),
                rx.badge(trk.label, color_scheme=rx.cond(trk.arriving, "green", "blue"), size="2", id="track-label"),
                justify="between", width="100%", wrap="wrap", align="center",
            ),
            rx.box(
                rx.vstack(rx.text(t("customer.distance"), size="1", color_scheme="gray"),
                          rx.text(rx.cond(trk.distance != "", trk.distance, "—"), size="5", weight="bold",
                                  id="track-distance"), spacing="0"),
                rx.vstack(rx.text(t("customer.eta"), size="1", color_scheme="gray"),
                          rx.text(rx.cond(trk.eta != "", trk.eta, "—"), size="5", weight="bold", id="track-eta"),
                          spacing="0"),
                class_name="kpi-grid", aria_live="polite",
            ),
            rx.text(trk.updated, rx.cond(trk.stale, t("customer.position_stale"), ""), size="1", color_scheme="gray",
                    id="track-updated"),
            tracking_map(destination=trk.destination, professional=trk.professional, show_professional=trk.has_fix,
                         tile_url=RequestsState.tile_url, attribution=RequestsState.tile_attribution,
                         key=trk.request_id.to_string()),
            spacing="3", width="100%",
        ),
        width="100%", id="tracking",
    ))


@template(route=routes.MY_REQUESTS, title="nav.my_requests", on_load=RequestsState.load)
def my_requests() -> rx.Component:
    return rx.cond(RequestsState.loaded, rx.vstack(
        rx.hstack(rx.heading(t("nav.my_requests"), size="7"),
                  rx.link(rx.button(t("customer.book_service"), size="3", min_height=TAP), href=routes.BOOK),
                  justify="between", width="100%", wrap="wrap"),
        rx.cond(RequestsState.acted_on == 0, rx.fragment(notice(RequestsState.notice),
                                                          form_alert(RequestsState.error))),
        _tracking_panel(),
        rx.cond(RequestsState.requests.length() > 0,
                rx.vstack(rx.foreach(RequestsState.requests, _request_card), spacing="3", width="100%"),
                rx.text(t("customer.no_requests"))),
        rx.cond(RequestsState.older, rx.button(t("customer.show_older"), variant="soft", size="3", min_height=TAP,
                                               on_click=RequestsState.show_older, id="show-older")),
        spacing="4", width="100%", id="my-requests",
    ), rx.spinner(size="3"))
