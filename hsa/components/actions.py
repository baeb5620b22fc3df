"""A booking card's action buttons and inline forms, rendered from the process's specs.

Direct actions (no fields) submit at once; the others open a small form under the card. Ids
are `btn-<action>-<id>`, `form-<action>-<id>` and `<action>-<field>-<id>`, unique on a page
that lists many cards. Nothing here knows which actions exist: the page passes the specs.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from hsa.components.forms import TAP, form, native_input, select_field, submit_button, text_area, text_field
from hsa.components.requests import hidden
from hsa.i18n.catalog import english_index
from hsa.state.locale import t


def _said(text: str) -> str | rx.Var:
    """A process text (button, field label, option) in the tab's language: by its key when the
    declaration gives a catalog message, else by its English text in the catalog; else as written."""
    key = getattr(text, "key", None) or english_index().get(str(text))
    return t(key) if key else text


def _key(r: rx.Var, action: str) -> rx.Var:
    return r.id.to_string() + ":" + action


def _field(r: rx.Var, action: str, f: Any, errors: rx.Var) -> rx.Component:
    fid = action + "-" + f.id_part + "-" + r.id.to_string()
    value = getattr(r, f.value_from) if f.value_from else (f.value or None)
    label = _said(f.label)
    if f.kind == "note":  # words the person must read before confirming (the cancellation fee now)
        return rx.cond(value != "", rx.callout(value, icon="info", size="1", id=fid))
    if f.kind in ("date", "time"):
        control = native_input(label, f.name, errors, type=f.kind, value=value, field_id=fid,
                               required=f.required, **({"step": "900"} if f.kind == "time" else {}))
    elif f.kind == "textarea":
        control = text_area(label, f.name, errors, value=value, field_id=fid, max_length=f.max_length or 500,
                            required=f.required)
    elif f.kind == "select":
        control = select_field(label, f.name, errors, field_id=fid, static=[(v, _said(o)) for v, o in f.options],
                               required=f.required)
    elif f.kind == "code":
        control = text_field(label, f.name, errors, field_id=fid, input_mode="numeric", max_length=4,
                             autocomplete="one-time-code", required=f.required)
    elif f.kind == "number":
        control = text_field(label, f.name, errors, type="number", input_mode="numeric", field_id=fid,
                             required=f.required, value=value)
    else:
        control = text_field(label, f.name, errors, field_id=fid, max_length=f.max_length, value=value,
                             required=f.required)
    return rx.cond(getattr(r, f.shown_if), control) if f.shown_if else control


def action_buttons(r: rx.Var, specs: list, state: Any, *, prefix: str) -> rx.Component:
    """The row of buttons for the actions this viewer may take now (`r.actions`)."""
    buttons = []
    for s in specs:
        props = {"color_scheme": s.color} if s.color else {}
        if s.direct:
            buttons.append(rx.cond(r.actions.contains(s.name), form(
                hidden("request_id", r.id), hidden("action", s.name),
                rx.button(_said(s.label), type="submit", size="3", min_height=TAP, loading=state.busy,
                          id="btn-" + s.name + "-" + r.id.to_string(), **props),
                on_submit=state.act, name=prefix + "-" + s.name, busy=state.busy,
                idempotency_key=state.submit_key)))
        else:
            buttons.append(rx.cond(r.actions.contains(s.name), rx.button(
                _said(s.label), size="3", min_height=TAP, variant="soft", on_click=state.show_form(_key(r, s.name)),
                id="btn-" + s.name + "-" + r.id.to_string(), **props)))
    return rx.fragment(*buttons)


def action_forms(r: rx.Var, specs: list, state: Any, *, prefix: str) -> rx.Component:
    """The inline form of the action whose button was tapped (one open at a time per page)."""
    forms = []
    for s in specs:
        if s.direct:
            continue
        submit = _said(s.submit) + getattr(r, s.submit_suffix) if s.submit_suffix else _said(s.submit)
        forms.append(rx.cond(r.actions.contains(s.name) & (state.open_form == _key(r, s.name)), form(
            rx.vstack(hidden("request_id", r.id), hidden("action", s.name),
                      *[_field(r, s.name, f, state.errors) for f in s.fields],
                      submit_button(submit, busy=state.busy), spacing="2", width="100%"),
            on_submit=state.act, name=prefix + "-" + s.name, busy=state.busy,
            idempotency_key=state.submit_key, width="100%", id="form-" + s.name + "-" + r.id.to_string())))
    return rx.fragment(*forms)


def card_messages(r: rx.Var, state: Any) -> rx.Component:
    """The outcome of an action on this card, shown on the card itself: on a long list the page's
    own message area is out of sight. The ids are the page's usual ones (only one is rendered)."""
    here = state.acted_on == r.id
    return rx.fragment(
        rx.cond(here & (state.error != ""), rx.callout(state.error, icon="triangle_alert", color_scheme="red",
                                                      role="alert", id="form-error", width="100%")),
        rx.cond(here & (state.notice != ""), rx.callout(state.notice, icon="info", color_scheme="green",
                                                       role="status", id="notice", width="100%")),
    )
