""""Download my data" on the profile page: ask, watch the bar while the archive is made a section at
a time, then two links (JSON and a readable page) valid for 24 hours.

Every step resolves the actor from the session token again (`token_call`), and the service finds
archives only in the signed-in person's own folder, so no argument reaches someone else's data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import reflex as rx

from hsa import i18n
from hsa.i18n import DEFAULT, current, formats
from hsa.i18n.text import tr
from hsa.services import my_data
from hsa.services.scheduling import IST
from hsa.state.auth import token_call, token_of
from hsa.state.locale import LocaleState

log = logging.getLogger(__name__)

FAILED = "account.data_failed"  # the catalog key, said when it is shown


@dataclass
class ArchiveUI:
    state: str = ""      # "" (none yet) | running | done | failed
    percent: int = 0
    progress: str = ""   # "8 of 22 parts"
    json_url: str = ""
    html_url: str = ""
    expires: str = ""    # "03 Dec 2026, 20:14 IST" (in English; formats.moment otherwise)


def _ui(s: my_data.ArchiveStatus | None) -> ArchiveUI:
    if s is None:
        return ArchiveUI()
    expires = s.expires_label if current() == DEFAULT else formats.moment(s.expires_at.astimezone(IST))
    return ArchiveUI(s.state, s.percent, tr("account.data_parts", done=s.done, total=s.total), s.json_url, s.html_url,
                     expires)


class MyDataState(rx.State):
    archive: ArchiveUI = ArchiveUI()
    error: str = ""
    preparing: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        """The newest archive still valid; one being made (the page was reloaded) carries on here."""
        self.error = ""
        token = await token_of(self)
        found, err = await token_call(token, my_data.latest_archive, readonly=True)
        self.archive = _ui(found) if err is None else ArchiveUI()
        return MyDataState.prepare if found is not None and found.state == my_data.RUNNING else None

    @rx.event(background=True)
    async def prepare(self) -> None:  # type: ignore[misc]
        """Start (or rejoin) the archive and write it section by section, moving the bar after each."""
        async with self:
            if self.preparing:
                return
            self.preparing, self.error = True, ""
            token = await token_of(self)
            lang = (await self.get_state(LocaleState)).code
        i18n.use(lang)  # a background task: say its texts in the tab's language whatever ran before
        try:
            status, err = await token_call(token, my_data.start_archive)
            while err is None and status.state == my_data.RUNNING:
                async with self:
                    self.archive = _ui(status)
                status, err = await token_call(token, my_data.archive_step, archive_id=status.id, readonly=True)
            async with self:
                if err is not None:
                    self.error = err.message
                else:
                    self.archive = _ui(status)
                    self.error = tr(FAILED) if status.state != my_data.DONE else ""
        except Exception:  # a disk or database error: say so instead of a bar stuck half-way
            log.exception("data archive failed")
            async with self:
                self.error = tr(FAILED)
        finally:
            async with self:
                self.preparing = False
