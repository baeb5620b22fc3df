"""A booking card's dispute parts: the customer's "Report a problem", the professional's answer,
and where the dispute stands (both sides read the decision and its reason)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from hsa.components.forms import TAP, form, select_field, submit_button, text_area
from hsa.components.requests import detail, hidden
from hsa.state.rows import dispute_reason_choices

STAGES = {"open": "Problem reported: waiting for the professional's side",
          "answered": "Problem reported: HomeServe support is deciding",
          "decided": "Problem reported: decided"}


def dispute_panel(r: rx.Var) -> rx.Component:
    """Where the dispute stands, for the customer and the professional alike."""
    return rx.cond(r.dispute_status != "", rx.callout(rx.vstack(
        rx.text(rx.match(r.dispute_status, *STAGES.items(), ""), weight="bold"),
        detail("What went wrong", r.dispute_reason),
        detail("Customer", r.dispute_details),
        detail("Professional", r.dispute_answer),
        rx.cond(r.dispute_outcome != "", rx.text(rx.text.span("Decision: ", weight="medium"), r.dispute_outcome,
                                                 rx.cond(r.dispute_note != "", " — " + r.dispute_note, ""), size="2")),
        spacing="1"), icon="scale", color_scheme="amber", width="100%", id="dispute-" + r.id.to_string()))


def report_problem(r: rx.Var, state: Any) -> rx.Component:
    """The customer's button and form (completed jobs, for 7 days)."""
    key = r.id.to_string() + ":dispute"
    fid = r.id.to_string()
    return rx.cond(r.can_dispute, rx.vstack(
        rx.button("Report a problem", variant="soft", color_scheme="amber", size="3", min_height=TAP,
                  on_click=state.show_form(key), id="btn-dispute-" + fid),
        rx.cond(state.open_form == key, form(
            rx.vstack(
                hidden("request_id", r.id),
                select_field("What went wrong?", "reason", state.errors, static=dispute_reason_choices(),
                             field_id="dispute-reason-" + fid),
                text_area("Tell us what happened", "details", state.errors, max_length=1000, required=True,
                          field_id="dispute-details-" + fid),
                submit_button("Send to support", busy=state.busy),
                spacing="2", width="100%"),
            on_submit=state.open_dispute, name="request-dispute", busy=state.busy, width="100%",
            id="form-dispute-" + fid)),
        spacing="2", width="100%"))


def answer_problem(r: rx.Var, state: Any) -> rx.Component:
    """The professional's side, once, while the dispute waits for it."""
    fid = r.id.to_string()
    return rx.cond(r.dispute_status == "open", form(
        rx.vstack(
            hidden("request_id", r.id),
            text_area("Your side (support reads both)", "answer", state.errors, max_length=1000, required=True,
                      field_id="dispute-answer-" + fid),
            submit_button("Send my side", busy=state.busy),
            spacing="2", width="100%"),
        on_submit=state.answer_dispute, name="job-dispute-answer", busy=state.busy, width="100%",
        id="form-answer-" + fid))
