"""The customer's "Add a photo" on a dispute (mixed into "My requests").

Reflex's upload widget needs a fixed id, so one photo panel is open at a time: `photo_for` says
on which booking's card. Any browser can set it to anything; the service checks the dispute is
theirs and undecided.
"""

from __future__ import annotations

import reflex as rx

from hsa.i18n.text import say, tr
from hsa.services import dispute_photos, private_files
from hsa.services.errors import DomainError
from hsa.state.auth import call_as_actor, errors_of, fail
from hsa.state.uploads import read_one

UPLOAD_ID = "dispute-photo"
PHOTO_MAX_BYTES = private_files.MAX_BYTES  # the page's browser-side hint; the handler enforces it


class DisputePhotoMixin(rx.State, mixin=True):
    photo_for: int = 0  # the booking whose photo panel is open (0: none)
    _photo_sent_for: int = 0  # where the last photo went: a double click's second upload repeats it there

    @rx.event
    def choose_photo_for(self, request_id: int) -> rx.event.EventSpec:
        """UI only: open (or close) the photo panel on one card."""
        self.photo_for = 0 if self.photo_for == request_id else max(0, int(request_id))
        self.errors, self.error, self.acted_on = {}, "", self.photo_for  # type: ignore[attr-defined]
        return rx.clear_selected_files(UPLOAD_ID)

    @rx.event
    async def add_photo(self, files: list[rx.UploadFile]) -> rx.event.EventSpec | None:
        """Size and type are enforced here and in the service (the browser's limits are only hints)."""
        self.errors, self.error, self.notice = {}, "", ""  # type: ignore[attr-defined]
        request_id = self.photo_for or self._photo_sent_for
        self.acted_on = request_id  # type: ignore[attr-defined]
        data, self.errors = await read_one(files, field="photo", missing=tr("dispute.photo_missing"),
                                           max_bytes=private_files.MAX_BYTES)
        if data is None:
            return None
        try:
            _, done = await call_as_actor(self, dispute_photos.attach_photo, request_id=request_id, data=data)
        except DomainError as exc:
            self.errors = errors_of(exc)
            self.error = "" if self.errors else exc.message  # a field's message shows beside the field
            return await fail(self, exc)
        self.notice, self.photo_for, self._photo_sent_for = say(done or ""), 0, request_id
        await self._reload()  # type: ignore[attr-defined]
        return rx.clear_selected_files(UPLOAD_ID)
