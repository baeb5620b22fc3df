"""Accessible form controls: a visible label, the error beside the field, 44 px tap targets.

Why the DOM id goes through `custom_attrs`: Reflex turns a control's `id` prop into a page-wide
React ref and, on submit, *overwrites* the form's values with every ref it finds, keyed by the
id. Two forms of the same kind on one page (a decline form in two lists, an edit form beside the
"new" form) then share one ref and submit each other's (empty) values, and an id that differs
from the name (`edit-day`) arrives as an extra field the schema refuses. With the id set as a
plain attribute, a form submits exactly its own named controls, like an HTML form.
`tests/unit/test_forms_static.py` fails on any form control that carries a Reflex ref.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from hsa.fields import IDEMPOTENCY_FIELD
from hsa.state.locale import t

TAP = "44px"


def _id(value: str | rx.Var) -> dict[str, Any]:
    """A DOM id without a Reflex ref (see the module docstring)."""
    return {"custom_attrs": {"id": value}}


def _suffix(field_id: str | rx.Var, suffix: str) -> str | rx.Var:
    return field_id + suffix if isinstance(field_id, str) else field_id.to(str) + suffix


def field_error(errors: rx.Var, name: str, field_id: str | rx.Var | None = None) -> rx.Component:
    """The message for one field, announced to screen readers."""
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], color_scheme="red", size="2", role="alert", class_name="field-error",
                **_id(_suffix(field_id if field_id is not None else name, "-error"))),
    )


def _control_props(name: str, errors: rx.Var, field_id: str | rx.Var, required: bool) -> dict[str, Any]:
    return dict(
        name=name, required=required,
        aria_invalid=rx.cond(errors.contains(name), "true", "false"),
        aria_describedby=_suffix(field_id, "-error"),
        **_id(field_id),
    )


Label = str | rx.Var | rx.Component  # a label may carry a hint line (the allowed range) inside it


def _labelled(label: Label, field_id: str | rx.Var, control: rx.Component, errors: rx.Var, name: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        control,
        field_error(errors, name, field_id),
        spacing="1", width="100%", align="stretch",
    )


def text_field(label: Label, name: str, errors: rx.Var, *, type: str = "text", value: Any = None,
               placeholder: str = "", autocomplete: str = "", required: bool = True,
               input_mode: str | None = None, max_length: int | None = None,
               field_id: str | rx.Var | None = None, on_blur: Any = None) -> rx.Component:
    """Labelled input; `value` pre-fills it (uncontrolled, so typing sends no events; `on_blur`
    gets the value when focus leaves, e.g. the booking form's pincode re-asks the free times).
    `field_id` must be unique on the page when the same form can appear more than once."""
    fid = field_id if field_id is not None else name
    props: dict[str, Any] = dict(
        type=type, placeholder=placeholder, auto_complete=autocomplete or "off", size="3", width="100%",
        min_height=TAP, **_control_props(name, errors, fid, required),
    )
    if value is not None:
        props["default_value"] = value
    if input_mode:
        props["input_mode"] = input_mode
    if max_length:
        props["max_length"] = max_length
    if on_blur is not None:
        props["on_blur"] = on_blur
    return _labelled(label, fid, rx.input(**props), errors, name)


def native_input(label: Label, name: str, errors: rx.Var, *, type: str, value: Any = None,
                 required: bool = True, field_id: str | rx.Var | None = None, **attrs: Any) -> rx.Component:
    """A native <input> (date, time): the phone's own picker, keyboard friendly."""
    fid = field_id if field_id is not None else name
    props: dict[str, Any] = dict(type=type, class_name="native-select", **_control_props(name, errors, fid, required),
                                 **attrs)
    if value is not None:
        props["default_value"] = value
    return _labelled(label, fid, rx.el.input(**props), errors, name)


def text_area(label: Label, name: str, errors: rx.Var, *, value: Any = None, max_length: int = 500,
              required: bool = False, field_id: str | rx.Var | None = None) -> rx.Component:
    fid = field_id if field_id is not None else name
    props: dict[str, Any] = dict(max_length=max_length, width="100%", size="3",
                                 **_control_props(name, errors, fid, required))
    if value is not None:
        props["default_value"] = value
    return _labelled(label, fid, rx.text_area(**props), errors, name)


def select_field(label: Label, name: str, errors: rx.Var, options: rx.Var | None = None, *,
                 placeholder: str | rx.Var | None = "common.choose",
                 static: list[tuple[str, str | rx.Var]] | None = None,
                 value: Any = "", required: bool = True, field_id: str | rx.Var | None = None,
                 on_change: Any = None) -> rx.Component:
    """Native <select> (best on phones, keyboard friendly). `static` options are (value, label)
    pairs shown first; `options` is a var of {value, label} dicts. `on_change` gets the chosen
    value (the booking form re-prices on it); the select stays uncontrolled either way."""
    fid = field_id if field_id is not None else name
    children: list[rx.Component] = []
    if placeholder is not None:
        text = t(placeholder) if isinstance(placeholder, str) else placeholder  # a str is a catalog key
        children.append(rx.el.option(text, value="", disabled=required))
    children += [rx.el.option(text, value=v) for v, text in static or []]
    if options is not None:
        children.append(rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["value"])))
    events = {"on_change": on_change} if on_change is not None else {}
    return _labelled(label, fid, rx.el.select(
        *children, default_value=value, class_name="native-select", **_control_props(name, errors, fid, required),
        **events,
    ), errors, name)


def submit_button(label: str | rx.Var, *, busy: rx.Var | bool = False, **props: Any) -> rx.Component:
    """Disabled (with a spinner) while the form's event runs: `busy` is the page state's flag."""
    return rx.button(label, type="submit", size="3", width="100%", min_height=TAP, loading=busy, **props)


def form(*children: rx.Component, on_submit: Any, name: str, busy: rx.Var | None = None,
         idempotency_key: rx.Var | str | None = None, **props: Any) -> rx.Component:
    """Every app form: named for the form matrix (`data-form`), its buttons disabled while its
    event runs (`busy`), and carrying the page's idempotency key: the second event of a double
    click is sent with the same key and gets the first result instead of doing the work twice.
    (No client-side throttle: it would also drop a person's quick corrected resubmit.)"""
    extra: list[rx.Component] = []
    if idempotency_key is not None:
        extra.append(rx.el.input(type="hidden", name=IDEMPOTENCY_FIELD, value=idempotency_key))
    attrs = dict(props.pop("custom_attrs", {}))
    attrs["data-form"] = name
    if busy is not None:
        attrs["aria-busy"] = rx.cond(busy, "true", "false")
    return rx.form(*children, *extra, on_submit=on_submit, custom_attrs=attrs, **props)


def form_alert(message: rx.Var) -> rx.Component:
    """Form-level message (e.g. wrong password), shown above the fields."""
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", id="form-error",
                   width="100%"),
    )


def notice(message: rx.Var, *, color: str = "green", id: str = "notice") -> rx.Component:
    return rx.cond(message != "", rx.callout(message, icon="info", color_scheme=color, id=id, width="100%"))
