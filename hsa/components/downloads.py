"""A link to a file the API serves (a CSV export, a data archive): one place for how it is drawn."""

from __future__ import annotations

import reflex as rx

from hsa.components.forms import TAP


def download_link(label: rx.Var | str, href: rx.Var | str, *, filename: rx.Var | str = "", link_id: rx.Var | str,
                  aria_label: rx.Var | str | None = None) -> rx.Component:
    """`label` (and `aria_label`) are texts already said: a Var (`t("area.key")`) or a str.

    rx.el.a is React Router's Link: `reload_document` lets the browser fetch the file from
    /api/v1 itself; 44 px tall for a thumb."""
    return rx.el.a(label, href=href, download=filename, reload_document=True, id=link_id,
                   aria_label=label if aria_label is None else aria_label, min_height=TAP, display="inline-flex",
                   align_items="center", color="var(--accent-11)", text_decoration="underline")
