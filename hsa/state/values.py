"""Parsing untrusted handler arguments (any browser can send any value to any handler)."""

from __future__ import annotations

import json

import reflex as rx

MAX_ID = 2**31 - 1


def as_int(value: object, default: int | None = None, *, low: int = -MAX_ID, high: int = MAX_ID) -> int | None:
    """An int within [low, high], else `default`: a crafted 10**40 must not reach the database."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


def as_id(value: object) -> int | None:
    """A positive database id, or None."""
    return as_int(value, None, low=1)


def action_form(form_data: dict) -> tuple[int | None, str, dict]:
    """(request id, action, the other fields) from an inline lifecycle form."""
    data = {k: v for k, v in form_data.items() if k not in ("request_id", "action")}
    return as_id(form_data.get("request_id")), str(form_data.get("action", ""))[:20], data


NUMBERS = ("rating", "amount_rupees")  # form fields the services expect as whole numbers


def numbers_in(data: dict) -> dict:
    """Whole-number fields as ints (an unparseable one as 0, which the schema then refuses
    beside the field): a browser sends every input as text."""
    return {k: (as_int(v, 0) if k in NUMBERS else v) for k, v in data.items()}


def reveal_form(open_form: str) -> rx.event.EventSpec | None:
    """Scroll a just-opened inline form ("<id>:<action>") into view; None when it was closed."""
    request_id, _, action = open_form.partition(":")
    if not (request_id.isdigit() and action.replace("_", "").isalpha() and len(action) <= 20):
        return None
    return rx.call_script(focus_script(f"form-{action}-{int(request_id)}"))


def focus_script(element_id: str) -> str:
    """Scroll a deep-linked card into view once it has rendered (ids are built from ints only)."""
    return f"document.getElementById({element_id!r})?.scrollIntoView({{block: 'center'}})"


def post_form_script(action: str, fields: dict[str, str]) -> str:
    """Submit a hidden form to `action` (the gateway's hosted checkout): a top-level POST, as the
    gateway requires. Values come from the server and are JSON-encoded, never spliced as code."""
    return ("(function(a, f) { const form = document.createElement('form'); form.method = 'post'; "
            "form.action = a; form.id = 'checkout-redirect'; "
            "for (const [k, v] of Object.entries(f)) { const i = document.createElement('input'); "
            "i.type = 'hidden'; i.name = k; i.value = v; form.appendChild(i); } "
            f"document.body.appendChild(form); form.submit(); }})({json.dumps(action)}, {json.dumps(fields)})")
