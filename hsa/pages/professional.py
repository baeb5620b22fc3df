"""The professional's phone-first home: approval, availability, jobs, earnings, ratings."""

import reflex as rx

from hsa import routes
from hsa.components.actions import action_buttons, action_forms, card_messages
from hsa.components.disputes import answer_problem, dispute_panel
from hsa.components.forms import TAP, form, form_alert, notice, text_field
from hsa.components.layout import template
from hsa.components.payment import money_panel
from hsa.components.quality import standing_panel
from hsa.components.requests import detail, hidden, message_link, reschedule_callout, stars, status_badge
from hsa.components.reviews import review_card
from hsa.components.upload_zone import upload_zone
from hsa.state.actions import PROFESSIONAL_ACTIONS
from hsa.state.auth import SessionState
from hsa.state.locale import t, tf
from hsa.state.professional import DOC_MAX_BYTES, ProHomeState


def _approval_callout() -> rx.Component:
    return rx.match(
        ProHomeState.approval_status,
        ("approved", rx.callout(t("pro.approved"), icon="check",
                                color_scheme="green", id="approval")),
        ("rejected", rx.callout(rx.text(t("pro.rejected"), ProHomeState.approval_reason),
                                icon="x", color_scheme="red", id="approval")),
        rx.callout(t("pro.awaiting_approval"), icon="clock", color_scheme="amber", id="approval"),
    )


def _process_panels(r: rx.Var) -> rx.Component:
    """Where the job waits on someone: an extra charge, a new time, a locked start code."""
    return rx.fragment(
        rx.cond(r.pending_extra != "", rx.callout(
            rx.text(t("pro.extra_pending_before"), rx.text.strong(r.pending_extra), " (", r.pending_extra_reason,
                    t("pro.extra_pending_after")),
            icon="receipt", color_scheme="amber", size="1", id="extra-" + r.id.to_string())),
        reschedule_callout(r, me="professional", other="customer"),
        rx.cond(r.start_opens != "", rx.text(
            tf("pro.start_opens", time=r.start_opens), size="2",
            color_scheme="gray", id="start-opens-" + r.id.to_string())),
        rx.cond(r.code_locked, rx.callout(t("pro.code_locked"),
                                          icon="shield-alert", color_scheme="red", size="1")),
    )


def _job(r: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.heading(r.service_name, size="4", as_="h3"), status_badge(r.status),
                      justify="between", width="100%", wrap="wrap"),
            rx.text(r.when, rx.cond(r.total != "", " · " + r.total, ""), size="2", weight="medium"),
            rx.text(r.locality, rx.cond(r.distance != "", rx.text.span(" · ", r.distance)), size="2"),
            detail(t("pro.customer"), r.customer_name),
            message_link(r, t("pro.the_customer")),
            detail(t("pro.address"), r.address),
            detail(t("pro.remarks"), r.remarks),
            rx.cond(r.extra_charge_reason != "", rx.text(tf("pro.includes_extra", amount=r.extra_charge,
                                                            reason=r.extra_charge_reason), size="2")),
            money_panel(r),
            rx.cond((r.status == "completed") & ~r.paid,
                    rx.text(t("pro.awaiting_payment"), size="2", color_scheme="amber")),
            rx.cond(r.rating > 0, rx.hstack(stars(r.rating), rx.text(r.review, size="2"))),
            _process_panels(r),
            rx.hstack(
                rx.cond((r.status == "assigned") & (ProHomeState.trip_id != r.id), form(
                    hidden("request_id", r.id),
                    rx.button(t("pro.on_my_way"), type="submit", size="3", min_height=TAP, color_scheme="blue",
                              id="btn-onmyway-" + r.id.to_string(), loading=ProHomeState.busy),
                    on_submit=ProHomeState.start_trip, name="job-onmyway", busy=ProHomeState.busy)),
                action_buttons(r, PROFESSIONAL_ACTIONS, ProHomeState, prefix="job"),
                spacing="2", wrap="wrap",
            ),
            action_forms(r, PROFESSIONAL_ACTIONS, ProHomeState, prefix="job"),
            dispute_panel(r),
            answer_problem(r, ProHomeState),
            card_messages(r, ProHomeState),
            spacing="2", align="start", width="100%",
        ),
        id="job-" + r.id.to_string(), width="100%",
        class_name=rx.cond(ProHomeState.focus == r.id, "job-card focused", "job-card"),
    )


def _section(title: str, rows: rx.Var, empty: str, section_id: str) -> rx.Component:
    """`title` and `empty` are catalog keys."""
    return rx.vstack(
        rx.heading(t(title), size="5", as_="h2"),
        rx.cond(rows.length() > 0, rx.vstack(rx.foreach(rows, _job), spacing="3", width="100%"),
                rx.text(t(empty), size="2", color_scheme="gray")),
        spacing="2", width="100%", id=section_id,
    )


def _sharing() -> rx.Component:
    """Shown while the customer can follow this phone on the map."""
    s = ProHomeState
    return rx.cond(s.trip_id != 0, rx.callout(
        rx.vstack(
            rx.text(t("pro.sharing"), weight="medium"),
            rx.text(s.share_status, id="share-status"),
            rx.cond(s.share_error != "", rx.text(s.share_error, color_scheme="red", id="share-error")),
            spacing="1"),
        icon="navigation", color_scheme="blue", id="sharing", width="100%"))


def _board() -> rx.Component:
    s = ProHomeState
    return rx.vstack(
        _sharing(),
        rx.card(rx.vstack(
            rx.button(
                rx.cond(s.available, t("pro.available_on"), t("pro.available_off")),
                on_click=ProHomeState.set_available(~s.available), id="available", aria_pressed=s.available,
                color_scheme=rx.cond(s.available, "green", "gray"), variant="soft", size="3", width="100%",
                min_height=TAP,
            ),
            form(rx.hstack(
                text_field(t("pro.radius_label"), "radius_km", s.errors, type="number", value=s.radius_km.to_string(),
                           input_mode="numeric"),
                rx.button(t("pro.save"), type="submit", size="3", min_height=TAP, variant="soft", loading=s.busy),
                align="end", width="100%"), on_submit=ProHomeState.save_radius, name="radius", busy=s.busy,
                key=s.radius_km.to_string(), width="100%"),
            spacing="3", width="100%"), width="100%"),
        rx.box(
            rx.card(rx.vstack(rx.text(t("pro.rating"), size="2", color_scheme="gray"),
                              rx.heading(s.rating_avg, size="6", id="pro-rating"),
                              rx.text(s.rating_count_label, size="2", id="pro-rating-count"))),
            rx.card(rx.vstack(rx.text(t("pro.earnings"), size="2", color_scheme="gray"),
                              rx.heading(s.earnings, size="6", id="pro-earnings"),
                              rx.text(s.jobs_done_label, size="2"),
                              rx.link(t("pro.earnings_link"), href=routes.PRO_EARNINGS, id="earnings-link", size="2",
                                      style={"min_height": TAP, "display": "inline-flex", "align_items": "center"}))),
            class_name="kpi-grid",
        ),
        _section("pro.requested_from_you", s.addressed, "pro.no_addressed", "addressed"),
        _section("pro.open_jobs", s.open_nearby, "pro.no_open_jobs", "open-jobs"),
        _section("pro.today", s.today, "pro.nothing_today", "today"),
        _section("pro.upcoming", s.upcoming, "pro.no_upcoming", "upcoming"),
        _section("pro.history", s.history, "pro.no_history", "history"),
        rx.heading(t("pro.reviews"), size="5", as_="h2"),
        rx.cond(s.reviews.length() > 0, rx.vstack(rx.foreach(s.reviews, review_card), width="100%", id="reviews"),
            rx.text(t("pro.no_reviews_yet"), size="2", color_scheme="gray")),
        spacing="4", width="100%",
    )


def _document_card() -> rx.Component:
    s = ProHomeState
    return rx.card(rx.vstack(
        rx.heading(t("pro.document_heading"), size="4", as_="h2"),
        rx.cond(s.document_name != "",
                rx.text(t("pro.on_file"), rx.text.strong(s.document_name), t("pro.uploaded_open"),
                        s.document_uploaded, ")", size="2", id="document-on-file"),
                rx.text(t("pro.upload_hint"), size="2")),
        upload_zone(
            rx.vstack(rx.button(t("pro.choose_file"), size="3", variant="soft", min_height=TAP, type="button"),
                      rx.text(rx.foreach(rx.selected_files("doc"), lambda f: rx.text.span(f)), size="2"),
                      align="center"),
            id="doc", label=t("pro.document_file"), max_files=1, max_size=DOC_MAX_BYTES, multiple=False,
            accept={"application/pdf": [".pdf"], "image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
            border="1px dashed var(--gray-a7)", padding="12px", width="100%",
        ),
        rx.cond(s.errors.contains("document"), rx.text(s.errors["document"], id="document-error",
                                                        color_scheme="red", size="2", role="alert")),
        rx.hstack(
            rx.button(t("pro.upload_document"), on_click=ProHomeState.upload_document(rx.upload_files(upload_id="doc")),
                      size="3", min_height=TAP, id="upload-document"),
            rx.cond(s.document_name != "", rx.button(t("pro.view"), on_click=ProHomeState.view_document, size="3",
                                                     variant="soft", min_height=TAP)),
            spacing="2", wrap="wrap"),
        rx.cond(s.document_url != "", rx.link(t("pro.open_document"), href=s.document_url, is_external=True,
                                              id="my-document-link")),
        spacing="2", width="100%"), width="100%")


@template(route=routes.PRO_HOME, title="pro.title", on_load=ProHomeState.load)
def professional_home() -> rx.Component:
    return rx.cond(ProHomeState.loaded, rx.vstack(
        rx.heading(tf("pro.hello", name=SessionState.viewer_name), size="7", id="welcome"),
        _approval_callout(),
        standing_panel(),
        rx.text(t("pro.service_prefix"), rx.text.strong(ProHomeState.service_name), " · ",
                ProHomeState.experience_label),
        rx.cond(ProHomeState.acted_on == 0, rx.fragment(notice(ProHomeState.notice),
                                                         form_alert(ProHomeState.error))),
        rx.cond(ProHomeState.approval_status == "approved", _board()),
        _document_card(),
        spacing="4", id="professional-dashboard", width="100%",
    ), rx.spinner(size="3"))
