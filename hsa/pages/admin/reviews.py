"""Flagged reviews: the review, who wrote it, why the professional flagged it, and the decision."""

import reflex as rx

from hsa import routes
from hsa.components.forms import form, form_alert, notice, select_field, submit_button, text_field
from hsa.components.layout import template
from hsa.components.requests import hidden, stars
from hsa.state.admin.reviews import DECISION_CHOICES, AdminReviewsState, FlagRow
from hsa.state.locale import t, tf


def _flag(r: FlagRow) -> rx.Component:
    s, fid = AdminReviewsState, r.id.to_string()
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(r.reason, size="4", as_="h2"), rx.text(r.when, size="2", color_scheme="gray"),
                  justify="between", width="100%", wrap="wrap"),
        rx.text(tf("admin_ops.reviewed", customer=r.customer, professional=r.professional, booking=r.request_id),
                size="2"),
        rx.hstack(stars(r.rating), rx.text("“", r.comment, "”", size="2"), wrap="wrap"),
        rx.cond(r.note != "", rx.text(tf("admin_ops.pro_says", note=r.note), size="2")),
        form(
            rx.vstack(
                hidden("review_id", r.id),
                select_field(t("admin_ops.decision"), "decision", s.errors,
                             static=[(value, t(key)) for value, key in DECISION_CHOICES], field_id="decision-" + fid),
                text_field(t("admin_ops.decision_note"), "note", s.errors, field_id="note-" + fid,
                           max_length=500),
                submit_button(t("admin_ops.decide"), busy=s.busy),
                spacing="2", width="100%"),
            on_submit=s.decide, name="review-moderate", busy=s.busy, width="100%", id="form-moderate-" + fid,
        ),
        spacing="3", width="100%"), width="100%", id="flag-" + fid, class_name="flag-card")


@template(route=routes.ADMIN_REVIEWS, title="admin_ops.flagged_title", on_load=AdminReviewsState.load)
def admin_reviews() -> rx.Component:
    s = AdminReviewsState
    return rx.vstack(
        rx.heading(t("admin_ops.flagged_title"), size="7"),
        notice(s.notice),
        form_alert(s.error),
        rx.cond(s.loaded, rx.cond(s.rows.length() > 0,
                                  rx.vstack(rx.foreach(s.rows, _flag), spacing="3", width="100%"),
                                  rx.text(t("admin_ops.no_flags"))), rx.spinner(size="3")),
        spacing="4", width="100%", id="admin-reviews",
    )
