"""The admin's queue of reports: read the reported conversation (audited), close with an outcome."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n.text import say, tr
from hsa.models import ReportReason
from hsa.services import reports
from hsa.state.admin.common import admin_call, int_arg
from hsa.state.auth import errors_of, fail, guard_page
from hsa.state.forms import FormState, submits

# The service names a reason by its English label; the key of each, to say it in the viewer's language.
REASON_KEYS = {reports.REASONS[ReportReason.abuse]: "admin_trust.report_reason_abuse",
               reports.REASONS[ReportReason.fraud]: "admin_trust.report_reason_fraud",
               reports.REASONS[ReportReason.off_platform]: "admin_trust.report_reason_off_platform",
               reports.REASONS[ReportReason.other]: "admin_trust.report_reason_other"}


def reason_words(label: str) -> str:
    """A report reason (the service's English label) in the current language."""
    key = REASON_KEYS.get(label)
    return tr(key) if key else say(label)


@dataclass
class ReportRow:
    id: int = 0
    request_id: int = 0
    reason: str = ""
    details: str = ""
    message: str = ""
    reporter: str = ""
    reported: str = ""
    when: str = ""


class AdminReportsState(FormState, rx.State):
    rows: list[ReportRow] = []
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    acted_on: int = 0
    loaded: bool = False

    async def _reload(self) -> rx.event.EventSpec | None:
        result, err = await admin_call(self, reports.queue)
        if err:
            self.error = err.message
            return await fail(self, err)
        self.rows = [ReportRow(id=r.id, request_id=r.request_id, reason=reason_words(r.reason),
                               details=r.details, message=r.message, reporter=r.reporter, reported=r.reported,
                               when=say(r.when))
                     for r in result]
        self.loaded = True
        return None

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error, self.notice, self.acted_on = {}, "", "", 0
        _, _, redirect = await guard_page(self, routes.ADMIN_REPORTS)
        if redirect:
            return redirect
        return await self._reload()

    @rx.event
    @submits
    async def close(self, form_data: dict) -> rx.event.EventSpec | None:
        report_id = int_arg(form_data.get("report_id"))
        self.acted_on = report_id
        _, err = await admin_call(self, reports.close, report_id=report_id,
                                  outcome=str(form_data.get("outcome", ""))[:600])
        if err:
            self.errors, self.error = errors_of(err), "" if errors_of(err) else err.message
            return await fail(self, err)
        self.errors, self.error, self.notice = {}, "", tr("admin_trust.report_closed")
        return await self._reload()
