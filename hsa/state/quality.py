"""A professional's quality standing on their home page (with the appeal form), and the admin's queue."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n.text import say, tr
from hsa.models import AppealDecision
from hsa.services import quality
from hsa.services.errors import DomainError
from hsa.state.admin.common import admin_call, int_arg
from hsa.state.auth import call_as_actor, errors_of, fail, guard_page
from hsa.state.forms import FormState, submits

# The admin's choices: (value, catalog key of its label); the page says each label with `t`.
DECISION_CHOICES = [(AppealDecision.reinstated.value, "admin_trust.decision_reinstate"),
                    (AppealDecision.kept.value, "admin_trust.decision_keep")]


class QualityState(FormState, rx.State):
    level: str = "ok"
    reason: str = ""
    appealed: bool = False
    appeal: str = ""
    decision: str = ""
    decision_reason: str = ""
    errors: dict[str, str] = {}
    notice: str = ""

    def _show(self, v: quality.StandingView | None) -> None:
        if v is None:
            return
        self.level, self.reason, self.appeal = v.level, say(v.reason), v.appeal
        self.appealed, self.decision, self.decision_reason = v.appealed != "", v.decision, say(v.decision_reason)

    @rx.event
    async def load(self) -> None:
        """Loaded after the home page's own load (one small read)."""
        self.errors, self.notice = {}, ""
        try:
            _, view = await call_as_actor(self, quality.my_standing, readonly=True)
        except DomainError:
            return
        self._show(view)

    @rx.event
    @submits
    async def send_appeal(self, form_data: dict) -> rx.event.EventSpec | None:
        try:
            await call_as_actor(self, quality.appeal, data={"appeal": str(form_data.get("appeal", ""))[:1200]})
        except DomainError as exc:
            self.errors = errors_of(exc) or {"appeal": exc.message}
            return await fail(self, exc)
        self.errors, self.notice = {}, tr("pro.appeal_thanks")
        _, view = await call_as_actor(self, quality.my_standing, readonly=True)
        self._show(view)
        return None


@dataclass
class StandingRow:
    professional_id: int = 0
    name: str = ""
    reason: str = ""
    average: str = ""
    rated_jobs: int = 0
    strikes: int = 0
    suspended: str = ""
    appeal: str = ""
    appealed: str = ""
    decision: str = ""
    decision_reason: str = ""


class AdminQualityState(FormState, rx.State):
    rows: list[StandingRow] = []
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    loaded: bool = False

    async def _reload(self) -> rx.event.EventSpec | None:
        result, err = await admin_call(self, quality.queue)
        if err:
            self.error = err.message
            return await fail(self, err)
        self.rows = [StandingRow(**{k: getattr(v, k) for k in StandingRow.__dataclass_fields__}
                                 | {"reason": say(v.reason), "suspended": say(v.suspended)}) for v in result]
        self.loaded = True
        return None

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error, self.notice = {}, "", ""
        _, _, redirect = await guard_page(self, routes.ADMIN_QUALITY)
        if redirect:
            return redirect
        return await self._reload()

    @rx.event
    @submits
    async def decide(self, form_data: dict) -> rx.event.EventSpec | None:
        _, err = await admin_call(self, quality.decide, professional_id=int_arg(form_data.get("professional_id")),
                                  data={k: str(form_data.get(k, ""))[:600] for k in ("decision", "reason")})
        if err:
            self.errors, self.error = errors_of(err), "" if errors_of(err) else err.message
            return await fail(self, err)
        self.errors, self.error, self.notice = {}, "", tr("admin_trust.quality_decided")
        return await self._reload()
