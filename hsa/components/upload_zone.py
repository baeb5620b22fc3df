"""A file drop zone whose file input has an accessible name.

`rx.upload` renders react-dropzone's `<input type="file">` with no label, which axe reports as a
critical `label` violation and a screen reader announces as an unnamed "Choose file" control. The
input is built inside `rx.upload`, so the name is set on it after creation.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.components.component import Component


def _file_input(node: Component) -> Component | None:
    """The first `<input type="file">` under `node` (depth first)."""
    if getattr(node, "tag", None) == "input" and str(getattr(node, "type", "")).strip('"') == "file":
        return node
    for child in getattr(node, "children", []):
        if isinstance(child, Component) and (found := _file_input(child)) is not None:
            return found
    return None


def upload_zone(*children: Component, label: str | rx.Var, **props: Any) -> Component:
    """`rx.upload(*children, **props)` with `label` (a text or a `t(...)` Var) as the file input's
    accessible name."""
    zone = rx.upload(*children, **props)
    found = _file_input(zone)
    if found is None:  # reflex changed how it builds the zone: fail loudly at compile, not silently in axe
        raise RuntimeError("rx.upload no longer contains an <input type=file>; update upload_zone")
    found.custom_attrs["aria-label"] = label
    return zone


__all__ = ["upload_zone"]
