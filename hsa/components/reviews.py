"""The professional's reviews, each with "Flag this review" (abusive, another job) and, once flagged,
where the flag stands: waiting, hidden (no longer counts) or kept with the moderator's reason."""

from __future__ import annotations

import reflex as rx

from hsa.components.forms import TAP, form, select_field, submit_button, text_area
from hsa.components.requests import hidden, stars
from hsa.state.locale import t, tf
from hsa.state.professional import FLAG_REASON_KEYS, ProHomeState
from hsa.state.rows import ReviewRow


def _flag_form(r: ReviewRow) -> rx.Component:
    s, rid = ProHomeState, r.id.to_string()
    return rx.el.details(
        rx.el.summary(t("cards.flag_open"), id="flag-open-" + rid, min_height=TAP, display="flex",
                      align_items="center", cursor="pointer", color="var(--accent-11)"),
        form(
            rx.vstack(
                hidden("review_id", r.id),
                select_field(t("cards.flag_reason"), "reason", s.errors, field_id="flag-reason-" + rid,
                             static=[(reason, t(key)) for reason, key in FLAG_REASON_KEYS]),
                text_area(t("cards.flag_note"), "note", s.errors, max_length=500, field_id="flag-note-" + rid),
                submit_button(t("cards.flag_submit"), busy=s.busy),
                spacing="2", width="100%"),
            on_submit=s.flag_review, name="review-flag", busy=s.busy, width="100%", id="form-flag-" + rid,
        ))


def _flag_state(r: ReviewRow) -> rx.Component:
    return rx.match(
        r.flag,
        ("waiting", rx.text(t("cards.flag_waiting"), size="2", color_scheme="amber")),
        ("hidden", rx.text(tf("cards.flag_hidden", note=r.moderation_note), size="2", color_scheme="green")),
        ("kept", rx.text(tf("cards.flag_kept", note=r.moderation_note), size="2", color_scheme="gray")),
        _flag_form(r),
    )


def review_card(r: ReviewRow) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(stars(r.rating), rx.text(r.customer_name, " · ", r.when, size="1", color_scheme="gray")),
        rx.text(r.comment, size="2"),
        _flag_state(r),
        spacing="1", width="100%"), width="100%", id="review-" + r.id.to_string())
