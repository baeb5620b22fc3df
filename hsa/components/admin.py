"""Pieces several admin console pages share: filter selects and the result pager.

They live here, not in one page module, so each admin page module imports only its own state
(``hsa/pages/admin/<page>.py`` mirrors ``hsa/state/admin/<page>.py``) plus these helpers.
"""

from __future__ import annotations

import reflex as rx

from hsa.components.forms import TAP, select_field
from hsa.state.locale import t, tf

_NO_ERRORS: rx.Var = rx.Var.create({})


def filter_select(name: str, label: str | rx.Var, options: list[tuple[str, str | rx.Var]], *,
                  dynamic: rx.Var | None = None) -> rx.Component:
    """A filter select: the first option is "any", so nothing is required (labels: `t(...)` vars)."""
    return select_field(label, name, _NO_ERRORS, dynamic, placeholder=None, static=options, required=False)


def pager(state: type[rx.State]) -> rx.Component:
    """Previous/next over a paged search; the state has ``page``, ``pages``, ``total`` and ``go_page``."""
    return rx.hstack(
        rx.button(t("admin_common.previous"), on_click=state.go_page(state.page - 1), disabled=state.page <= 1,
                  size="3", variant="soft", min_height=TAP),
        rx.text(tf("admin_common.pager", page=state.page, pages=state.pages, total=state.total), size="2"),
        rx.button(t("admin_common.next"), on_click=state.go_page(state.page + 1), disabled=state.page >= state.pages,
                  size="3", variant="soft", min_height=TAP),
        align="center", spacing="3", wrap="wrap",
    )


def action_code(code: rx.Var) -> rx.Component:
    """An audit action as the log stores it ("professional.price_set"): code, not words, so it is
    shown as recorded in every language (`data-verbatim`, like the event's details)."""
    return rx.el.code(code, custom_attrs={"data-verbatim": "true"}, class_name="wrap-anywhere")
