"""The admin's disputes: both sides, the payment, the conversation; decide with a reason both read."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n.text import say, tr
from hsa.models import DisputeOutcome, DisputeReason
from hsa.services import disputes
from hsa.services.process.disputes_declared import REASONS
from hsa.state.admin.common import admin_call, int_arg
from hsa.state.auth import errors_of, fail, guard_page
from hsa.state.forms import FormState, split_key, submits

# The admin's decisions, in the order the select lists them, and the catalog key of each label.
OUTCOME_KEYS = {DisputeOutcome.no_action: "admin_trust.outcome_no_action",
                DisputeOutcome.refund: "admin_trust.outcome_refund",
                DisputeOutcome.strike: "admin_trust.outcome_strike",
                DisputeOutcome.refund_and_strike: "admin_trust.outcome_refund_and_strike"}
# The service names a reason by its English label; the key of each, to say it in the viewer's language.
REASON_KEYS = {REASONS[DisputeReason.not_done]: "admin_trust.reason_not_done",
               REASONS[DisputeReason.poor_quality]: "admin_trust.reason_poor_quality",
               REASONS[DisputeReason.damage]: "admin_trust.reason_damage",
               REASONS[DisputeReason.overcharged]: "admin_trust.reason_overcharged",
               REASONS[DisputeReason.behaviour]: "admin_trust.reason_behaviour",
               REASONS[DisputeReason.other]: "admin_trust.reason_other"}


def reason_words(label: str) -> str:
    """A dispute reason (the service's English label) in the current language."""
    key = REASON_KEYS.get(label)
    return tr(key) if key else say(label)


@dataclass
class DisputeRow:
    id: int = 0
    request_id: int = 0
    status: str = ""
    reason: str = ""
    details: str = ""
    answer: str = ""
    customer: str = ""
    professional: str = ""
    opened: str = ""
    paid: str = ""
    photo_url: str = ""


class AdminDisputesState(FormState, rx.State):
    rows: list[DisputeRow] = []
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    acted_on: int = 0
    loaded: bool = False

    async def _reload(self) -> rx.event.EventSpec | None:
        result, err = await admin_call(self, disputes.queue)
        if err:
            self.error = err.message
            return await fail(self, err)
        self.rows = [DisputeRow(id=d.id, request_id=d.request_id, status=d.status,
                                reason=reason_words(d.reason), details=d.details, answer=d.answer,
                                customer=d.customer, professional=d.professional, opened=say(d.opened),
                                paid=d.paid, photo_url=d.photo_url) for d in result]
        self.loaded = True
        return None

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error, self.notice, self.acted_on = {}, "", "", 0
        _, _, redirect = await guard_page(self, routes.ADMIN_DISPUTES)
        if redirect:
            return redirect
        self._fresh_key()
        return await self._reload()

    @rx.event
    @submits
    async def decide(self, form_data: dict) -> rx.event.EventSpec | None:
        form_data, key = split_key(form_data)
        request_id = int_arg(form_data.get("request_id"))
        self.acted_on = request_id
        _, err = await admin_call(self, disputes.decide, request_id=request_id, idempotency_key=key,
                                  data={k: str(form_data.get(k, ""))[:600]
                                        for k in ("outcome", "refund_rupees", "note")})
        if err:
            self.errors, self.error = errors_of(err), "" if errors_of(err) else err.message
            return await fail(self, err)
        self.errors, self.error = {}, ""
        self.notice = tr("admin_trust.dispute_decided")
        return await self._reload()
