"""The admin's queue of flagged reviews: read the review and the professional's reason, then hide it
(it stops counting) or keep it, with a note the professional reads."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n.text import say, tr
from hsa.services import review_flags
from hsa.state.admin.common import admin_call, int_arg
from hsa.state.auth import errors_of, fail, guard_page
from hsa.state.forms import FormState, submits

# A decision and the catalog key of the notice it leaves.
DONE = {"hide": "admin_ops.hidden_notice", "keep": "admin_ops.kept_notice"}


@dataclass
class FlagRow:
    id: int = 0
    request_id: int = 0
    rating: int = 0
    comment: str = ""
    customer: str = ""
    professional: str = ""
    reason: str = ""
    note: str = ""
    when: str = ""


class AdminReviewsState(FormState, rx.State):
    rows: list[FlagRow] = []
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    acted_on: int = 0
    loaded: bool = False

    async def _reload(self) -> rx.event.EventSpec | None:
        result, err = await admin_call(self, review_flags.queue, readonly=True)
        if err:
            self.error = err.message
            return await fail(self, err)
        self.rows = [FlagRow(id=r.id, request_id=r.request_id, rating=r.rating, comment=r.comment, customer=r.customer,
                             professional=r.professional, reason=say(r.reason), note=r.note, when=say(r.when))
                     for r in result]
        self.loaded = True
        return None

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error, self.notice, self.acted_on = {}, "", "", 0
        _, _, redirect = await guard_page(self, routes.ADMIN_REVIEWS)
        if redirect:
            return redirect
        return await self._reload()

    @rx.event
    @submits
    async def decide(self, form_data: dict) -> rx.event.EventSpec | None:
        review_id, decision = int_arg(form_data.get("review_id")), str(form_data.get("decision", ""))[:10]
        self.acted_on = review_id
        _, err = await admin_call(self, review_flags.decide, review_id=review_id, decision=decision,
                                  note=str(form_data.get("note", ""))[:600])
        if err:
            self.errors, self.error = errors_of(err), "" if errors_of(err) else err.message
            return await fail(self, err)
        self.errors, self.error, self.notice = {}, "", tr(DONE[decision]) if decision in DONE else ""
        return await self._reload()


# The decisions the form offers, with the catalog keys of their labels.
DECISION_CHOICES = [("hide", "admin_ops.decision_hide"), ("keep", "admin_ops.decision_keep")]
