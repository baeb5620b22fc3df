"""Disputes waiting for a decision: the customer's complaint, the professional's side, the payment."""

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP, form, form_alert, notice, select_field, submit_button, text_field
from hsa.components.layout import template
from hsa.components.requests import detail, hidden
from hsa.state.admin.disputes import OUTCOME_KEYS, AdminDisputesState, DisputeRow
from hsa.state.locale import t, tf


def _dispute(d: DisputeRow) -> rx.Component:
    s = AdminDisputesState
    fid = d.request_id.to_string()
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(d.reason, size="4", as_="h2"),
                  rx.text(tf("admin_trust.opened", when=d.opened), size="2", color_scheme="gray"),
                  justify="between", width="100%", wrap="wrap"),
        rx.text(tf("admin_trust.dispute_parties", customer=d.customer, professional=d.professional, id=fid), size="2"),
        detail(t("admin_common.customer"), d.details),
        rx.cond(d.answer != "", detail(t("admin_common.professional"), d.answer),
                rx.text(t("admin_trust.not_answered"), size="2", color_scheme="gray")),
        rx.cond(d.photo_url != "", rx.link(
            rx.image(src=d.photo_url, alt=t("admin_trust.photo_alt"), max_width="100%", max_height="320px"),
            href=d.photo_url, is_external=True, id="dispute-photo-" + fid)),
        detail(t("admin_trust.paid_not_refunded"), d.paid),
        rx.hstack(
            rx.link(rx.button(t("admin_trust.read_conversation"), variant="soft", size="3", min_height=TAP),
                    href=routes.ADMIN_CHAT + "?request=" + fid),
            rx.link(rx.button(t("admin_trust.timeline_payments"), variant="soft", size="3", min_height=TAP),
                    href=routes.ADMIN_REQUESTS + "?request=" + fid),
            wrap="wrap", spacing="2"),
        form(
            rx.vstack(
                hidden("request_id", d.request_id),
                select_field(t("admin_trust.decision"), "outcome", s.errors,
                             static=[(o.value, t(key)) for o, key in OUTCOME_KEYS.items()],
                             field_id="outcome-" + fid),
                text_field(t("admin_trust.refund_rupees"), "refund_rupees", s.errors, type="number", required=False,
                           input_mode="decimal", field_id="refund-" + fid),
                text_field(t("admin_trust.dispute_note"), "note", s.errors, max_length=500, field_id="note-" + fid),
                submit_button(t("admin_trust.decide"), busy=s.busy),
                spacing="2", width="100%"),
            on_submit=s.decide, name="dispute-decide", busy=s.busy, width="100%", id="form-decide-" + fid,
            idempotency_key=s.submit_key,
        ),
        rx.cond(s.acted_on == d.request_id, rx.fragment(
            rx.cond(s.error != "", rx.callout(s.error, icon="triangle_alert", color_scheme="red", role="alert",
                                              id="form-error", width="100%")))),
        spacing="3", width="100%"), width="100%", class_name="dispute-card", id="dispute-card-" + fid)


@template(route=routes.ADMIN_DISPUTES, title="nav.disputes", on_load=AdminDisputesState.load)
def admin_disputes() -> rx.Component:
    s = AdminDisputesState
    return rx.vstack(
        rx.heading(t("nav.disputes"), size="7"),
        notice(s.notice),
        rx.cond(s.acted_on == 0, form_alert(s.error)),
        rx.cond(s.loaded, rx.cond(s.rows.length() > 0,
                                  rx.vstack(rx.foreach(s.rows, _dispute), spacing="3", width="100%"),
                                  rx.text(t("admin_trust.no_disputes"))), rx.spinner(size="3")),
        spacing="4", width="100%", id="admin-disputes",
    )
