"""On a professional's /profile: how customers see them — languages spoken, a photo, and a link."""

from __future__ import annotations

import reflex as rx

from hsa.components.forms import TAP, form, notice, submit_button
from hsa.components.upload_zone import upload_zone
from hsa.state.locale import t
from hsa.state.pro_public import LANGUAGE_OPTIONS, PHOTO_MAX_BYTES
from hsa.state.pro_public import ProPublicState as S


def _language(code: str, name: str) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=f"lang_{code}", default_checked=S.chosen.contains(code),
                    class_name="chip-input"),
        rx.text.span(name), class_name="chip")  # a chip like the slot picker's: 44 px, ticked = filled


def public_profile_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(t("public.card_heading"), size="4", as_="h2"),
        rx.text(t("public.card_explainer"), size="2"),
        rx.link(t("public.see_profile"), href=S.profile_href, class_name="inline-link", id="my-public-profile"),
        notice(S.saved, id="public-notice"),
        rx.cond(S.photo_url != "", rx.image(src=S.photo_url, alt=t("public.my_photo"), width="96px", height="96px",
                                            class_name="pro-photo", id="my-photo")),
        upload_zone(
            rx.vstack(rx.button(t("public.choose_photo"), size="3", variant="soft", min_height=TAP, type="button"),
                      rx.text(rx.foreach(rx.selected_files("photo"), lambda f: rx.text.span(f)), size="2"),
                      align="center"),
            id="photo", label=t("public.photo_file"), max_files=1, max_size=PHOTO_MAX_BYTES, multiple=False,
            accept={"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
            border="1px dashed var(--gray-a7)", padding="12px", width="100%",
        ),
        rx.cond(S.errors.contains("photo"), rx.text(S.errors["photo"], id="photo-error", color_scheme="red", size="2",
                                                     role="alert")),
        rx.button(t("public.upload_photo"), on_click=S.upload_photo(rx.upload_files(upload_id="photo")), size="3",
                  min_height=TAP, id="upload-photo"),
        rx.cond(S.loaded, form(
            rx.el.fieldset(
                rx.el.legend(t("public.languages_legend"), class_name="field-label"),
                rx.box(*[_language(code, name) for code, name in LANGUAGE_OPTIONS], class_name="chip-grid"),
                class_name="picker-group"),
            submit_button(t("public.save_languages"), busy=S.busy),
            on_submit=S.save_languages, name="languages", busy=S.busy, width="100%", id="languages-form",
            key=S.chosen.join(","),
        )),
        spacing="3", width="100%"), width="100%", id="public-profile-card", on_mount=S.load)
