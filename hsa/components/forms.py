"""Accessible form controls: a visible label, the error beside the field, 44 px tap targets."""

from __future__ import annotations

from typing import Any

import reflex as rx

TAP = "44px"


def field_error(errors: rx.Var, name: str) -> rx.Component:
    """The message for one field, announced to screen readers."""
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], id=f"{name}-error", color_scheme="red", size="2", role="alert",
                class_name="field-error"),
    )


def text_field(label: str, name: str, errors: rx.Var, *, type: str = "text", value: Any = None,
               placeholder: str = "", autocomplete: str = "", required: bool = True,
               input_mode: str | None = None, max_length: int | None = None) -> rx.Component:
    """Labelled input; `value` pre-fills it (uncontrolled, so typing sends no events)."""
    props: dict[str, Any] = dict(
        id=name, name=name, type=type, placeholder=placeholder, required=required,
        auto_complete=autocomplete or "off", size="3", width="100%", min_height=TAP,
        aria_invalid=rx.cond(errors.contains(name), "true", "false"),
        aria_describedby=f"{name}-error",
    )
    if value is not None:
        props["default_value"] = value
    if input_mode:
        props["input_mode"] = input_mode
    if max_length:
        props["max_length"] = max_length
    return rx.vstack(
        rx.el.label(label, html_for=name, class_name="field-label"),
        rx.input(**props),
        field_error(errors, name),
        spacing="1", width="100%", align="stretch",
    )


def text_area(label: str, name: str, errors: rx.Var, *, value: Any = None, max_length: int = 500,
              required: bool = False) -> rx.Component:
    props: dict[str, Any] = dict(id=name, name=name, max_length=max_length, width="100%", required=required,
                                 aria_describedby=f"{name}-error", size="3")
    if value is not None:
        props["default_value"] = value
    return rx.vstack(
        rx.el.label(label, html_for=name, class_name="field-label"),
        rx.text_area(**props),
        field_error(errors, name),
        spacing="1", width="100%", align="stretch",
    )


def select_field(label: str, name: str, errors: rx.Var, options: rx.Var, *,
                 placeholder: str = "Choose…") -> rx.Component:
    """Native <select> (best on phones, keyboard friendly); options are {value, label} dicts."""
    return rx.vstack(
        rx.el.label(label, html_for=name, class_name="field-label"),
        rx.el.select(
            rx.el.option(placeholder, value="", disabled=True),
            rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["value"])),
            id=name, name=name, required=True, default_value="",
            aria_describedby=f"{name}-error", class_name="native-select",
        ),
        field_error(errors, name),
        spacing="1", width="100%", align="stretch",
    )


def submit_button(label: str, *, loading: rx.Var | bool = False) -> rx.Component:
    return rx.button(label, type="submit", size="3", width="100%", min_height=TAP, loading=loading)


def form_alert(message: rx.Var) -> rx.Component:
    """Form-level message (e.g. wrong password), shown above the fields."""
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", id="form-error",
                   width="100%"),
    )


def notice(message: rx.Var, *, color: str = "green", id: str = "notice") -> rx.Component:
    return rx.cond(message != "", rx.callout(message, icon="info", color_scheme=color, id=id, width="100%"))
