"""The admin's queue of reports: read the reported conversation (audited), close with an outcome."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.services import reports
from hsa.state.admin.common import admin_call, int_arg
from hsa.state.auth import errors_of, fail, guard_page
from hsa.state.forms import FormState, submits


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
        self.rows = [ReportRow(id=r.id, request_id=r.request_id, reason=r.reason, details=r.details,
                               message=r.message, reporter=r.reporter, reported=r.reported, when=r.when)
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
        self.errors, self.error, self.notice = {}, "", "Report closed. The person who reported it is told."
        return await self._reload()
