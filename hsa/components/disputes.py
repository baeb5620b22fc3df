"""A booking card's dispute parts: the customer's "Report a problem", the professional's answer,
and where the dispute stands (both sides read the decision and its reason)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from hsa.components.forms import TAP, form, select_field, submit_button, text_area
from hsa.components.requests import detail, hidden
from hsa.components.upload_zone import upload_zone
from hsa.state.dispute_photo import PHOTO_MAX_BYTES, UPLOAD_ID
from hsa.state.locale import t
from hsa.state.rows import dispute_reason_choices

PHOTO_TYPES = {"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"], "image/webp": [".webp"]}

# A dispute's status and the catalog key of where it stands.
STAGES = {"open": "dispute.stage_open", "answered": "dispute.stage_answered", "decided": "dispute.stage_decided"}
# "What went wrong" (a DisputeReason value) and the catalog key of its label.
REASON_KEYS = {"not_done": "dispute.reason_not_done", "poor_quality": "dispute.reason_poor_quality",
               "damage": "dispute.reason_damage", "overcharged": "dispute.reason_overcharged",
               "behaviour": "dispute.reason_behaviour", "other": "dispute.reason_other"}


def _reason_options() -> list[tuple[str, rx.Var]]:
    """The service's reasons, in its order, each said in the tab's language."""
    return [(value, t(REASON_KEYS[value])) for value, _ in dispute_reason_choices()]


def dispute_panel(r: rx.Var) -> rx.Component:
    """Where the dispute stands, for the customer and the professional alike."""
    return rx.cond(r.dispute_status != "", rx.callout(rx.vstack(
        rx.text(rx.match(r.dispute_status, *[(k, t(key)) for k, key in STAGES.items()], ""), weight="bold"),
        detail(t("dispute.what_went_wrong_label"), r.dispute_reason),
        detail(t("dispute.customer"), r.dispute_details),
        detail(t("dispute.professional"), r.dispute_answer),
        rx.cond(r.dispute_photo_url != "", rx.link(
            rx.image(src=r.dispute_photo_url, alt=t("dispute.photo_alt"), max_width="100%",
                     max_height="240px", border_radius="var(--radius-2)"),
            href=r.dispute_photo_url, is_external=True, id="dispute-photo-" + r.id.to_string())),
        rx.cond(r.dispute_outcome != "", rx.text(
            rx.text.span(t("dispute.decision"), " ", weight="medium"), r.dispute_outcome,
            rx.cond(r.dispute_note != "", " — " + r.dispute_note, ""), size="2")),
        spacing="1"), icon="scale", color_scheme="amber", width="100%", id="dispute-" + r.id.to_string()))


def report_problem(r: rx.Var, state: Any) -> rx.Component:
    """The customer's button and form (completed jobs, for 7 days)."""
    key = r.id.to_string() + ":dispute"
    fid = r.id.to_string()
    return rx.cond(r.can_dispute, rx.vstack(
        rx.button(t("dispute.report_problem"), variant="soft", color_scheme="amber", size="3", min_height=TAP,
                  on_click=state.show_form(key), id="btn-dispute-" + fid),
        rx.cond(state.open_form == key, form(
            rx.vstack(
                hidden("request_id", r.id),
                select_field(t("dispute.what_went_wrong"), "reason", state.errors, static=_reason_options(),
                             field_id="dispute-reason-" + fid),
                text_area(t("dispute.tell_us"), "details", state.errors, max_length=1000, required=True,
                          field_id="dispute-details-" + fid),
                submit_button(t("dispute.send_to_support"), busy=state.busy),
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
            text_area(t("dispute.your_side"), "answer", state.errors, max_length=1000, required=True,
                      field_id="dispute-answer-" + fid),
            submit_button(t("dispute.send_my_side"), busy=state.busy),
            spacing="2", width="100%"),
        on_submit=state.answer_dispute, name="job-dispute-answer", busy=state.busy, width="100%",
        id="form-answer-" + fid))


def add_photo(r: rx.Var, state: Any) -> rx.Component:
    """The customer's optional photo: one panel open at a time (the upload widget's id is fixed)."""
    fid = r.id.to_string()
    return rx.cond(r.may_add_photo, rx.vstack(
        rx.button(rx.cond(r.dispute_photo_url != "", t("dispute.replace_photo"), t("dispute.add_photo")),
                  variant="soft", color_scheme="amber", size="3", min_height=TAP, type="button",
                  on_click=state.choose_photo_for(r.id), id="btn-photo-" + fid),
        rx.cond(state.photo_for == r.id, rx.vstack(
            upload_zone(
                rx.vstack(rx.button(t("dispute.choose_photo"), size="3", variant="soft", min_height=TAP, type="button"),
                          rx.text(rx.foreach(rx.selected_files(UPLOAD_ID), lambda f: rx.text.span(f)), size="2"),
                          align="center"),
                id=UPLOAD_ID, label=t("dispute.photo_label"), max_files=1, max_size=PHOTO_MAX_BYTES, multiple=False,
                accept=PHOTO_TYPES,
                border="1px dashed var(--gray-a7)", padding="12px", width="100%"),
            rx.text(t("dispute.photo_hint"), size="2"),
            rx.cond(state.errors.contains("photo"), rx.text(state.errors["photo"], id="photo-error",
                                                            color_scheme="red", size="2", role="alert")),
            rx.button(t("dispute.send_photo"), size="3", min_height=TAP, id="send-photo-" + fid,
                      on_click=state.add_photo(rx.upload_files(upload_id=UPLOAD_ID))),
            spacing="2", width="100%", id="photo-panel-" + fid)),
        spacing="2", width="100%"))
