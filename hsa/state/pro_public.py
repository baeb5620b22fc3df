"""The professional's own view of their public profile on /profile: languages and photo."""

from __future__ import annotations

import reflex as rx

from hsa import routes
from hsa.i18n.text import tr
from hsa.services import pro_profiles
from hsa.services.errors import DomainError
from hsa.state.auth import call_as_actor, errors_of, fail
from hsa.state.forms import FormState, submits
from hsa.state.uploads import read_one

LANGUAGE_OPTIONS = list(pro_profiles.LANGUAGES.items())  # (code, name) for the checkboxes
PHOTO_MAX_BYTES = pro_profiles.PHOTO_MAX_BYTES  # the upload zone's hint (the service checks)


class ProPublicState(FormState, rx.State):
    chosen: list[str] = []     # language codes spoken
    photo_url: str = ""
    profile_href: str = ""
    errors: dict[str, str] = {}
    saved: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        """After the profile page shows (on mount): the public profile as customers see it."""
        self.errors, self.saved = {}, ""
        actor, _ = await call_as_actor(self)
        if actor is None or actor.role.value != "professional":
            return None
        self.profile_href = routes.profile_url(actor.id)
        try:
            _, view = await call_as_actor(self, pro_profiles.own_public_part, readonly=True)
        except DomainError as exc:
            return await fail(self, exc)
        assert view is not None
        self.chosen, self.photo_url = list(view[0]), view[1]
        self.loaded = True
        return None

    @rx.event
    @submits
    async def save_languages(self, form_data: dict) -> rx.event.EventSpec | None:
        codes = [code for code, _ in LANGUAGE_OPTIONS if form_data.get(f"lang_{code}") in ("on", True, "true")]
        try:
            await call_as_actor(self, pro_profiles.set_languages, codes=codes)
        except DomainError as exc:
            self.errors, self.saved = errors_of(exc), ""
            return await fail(self, exc)
        self.chosen, self.errors, self.saved = codes, {}, tr("public.languages_saved")
        return None

    @rx.event
    async def upload_photo(self, files: list[rx.UploadFile]) -> rx.event.EventSpec | None:
        self.errors, self.saved = {}, ""
        data, self.errors = await read_one(files, field="photo", missing=tr("public.photo_missing"),
                                           max_bytes=pro_profiles.PHOTO_MAX_BYTES)
        if data is None:
            return None
        try:
            _, self.photo_url = await call_as_actor(self, pro_profiles.upload_photo, data=data)
        except DomainError as exc:
            self.errors = errors_of(exc)
            return await fail(self, exc)
        self.saved = tr("public.photo_saved")
        return rx.clear_selected_files("photo")
