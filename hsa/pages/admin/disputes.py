"""Disputes waiting for a decision: the customer's complaint, the professional's side, the payment."""

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP, form, form_alert, notice, select_field, submit_button, text_field
from hsa.components.layout import template
from hsa.components.requests import detail, hidden
from hsa.state.admin.disputes import AdminDisputesState, DisputeRow
from hsa.state.rows import dispute_outcome_choices


def _dispute(d: DisputeRow) -> rx.Component:
    s = AdminDisputesState
    fid = d.request_id.to_string()
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(d.reason, size="4", as_="h2"), rx.text("Opened ", d.opened, size="2", color_scheme="gray"),
                  justify="between", width="100%", wrap="wrap"),
        rx.text(d.customer, " about ", d.professional, " · booking #", fid, size="2"),
        detail("Customer", d.details),
        rx.cond(d.answer != "", detail("Professional", d.answer),
                rx.text("The professional has not answered yet.", size="2", color_scheme="gray")),
        rx.cond(d.photo_url != "", rx.link(
            rx.image(src=d.photo_url, alt="The customer's photo of the problem", max_width="100%", max_height="320px"),
            href=d.photo_url, is_external=True, id="dispute-photo-" + fid)),
        detail("Paid online, not refunded", d.paid),
        rx.hstack(
            rx.link(rx.button("Read the conversation", variant="soft", size="3", min_height=TAP),
                    href=routes.ADMIN_CHAT + "?request=" + fid),
            rx.link(rx.button("Timeline and payments", variant="soft", size="3", min_height=TAP),
                    href=routes.ADMIN_REQUESTS + "?request=" + fid),
            wrap="wrap", spacing="2"),
        form(
            rx.vstack(
                hidden("request_id", d.request_id),
                select_field("Decision", "outcome", s.errors, static=dispute_outcome_choices(),
                             field_id="outcome-" + fid),
                text_field("Refund (₹, for a refund)", "refund_rupees", s.errors, type="number", required=False,
                           input_mode="decimal", field_id="refund-" + fid),
                text_field("Reason (both sides read it)", "note", s.errors, max_length=500, field_id="note-" + fid),
                submit_button("Decide", busy=s.busy),
                spacing="2", width="100%"),
            on_submit=s.decide, name="dispute-decide", busy=s.busy, width="100%", id="form-decide-" + fid,
            idempotency_key=s.submit_key,
        ),
        rx.cond(s.acted_on == d.request_id, rx.fragment(
            rx.cond(s.error != "", rx.callout(s.error, icon="triangle_alert", color_scheme="red", role="alert",
                                              id="form-error", width="100%")))),
        spacing="3", width="100%"), width="100%", class_name="dispute-card", id="dispute-card-" + fid)


@template(route=routes.ADMIN_DISPUTES, title="Disputes", on_load=AdminDisputesState.load)
def admin_disputes() -> rx.Component:
    s = AdminDisputesState
    return rx.vstack(
        rx.heading("Disputes", size="7"),
        notice(s.notice),
        rx.cond(s.acted_on == 0, form_alert(s.error)),
        rx.cond(s.loaded, rx.cond(s.rows.length() > 0,
                                  rx.vstack(rx.foreach(s.rows, _dispute), spacing="3", width="100%"),
                                  rx.text("No disputes waiting.")), rx.spinner(size="3")),
        spacing="4", width="100%", id="admin-disputes",
    )
