"""The forms every page renders, found by walking the pages' component trees (no browser)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import reflex as rx
from reflex_components_core.core.foreach import Foreach
from reflex_components_core.el.elements.forms import Form


def walk(component: rx.Component) -> Iterator[rx.Component]:
    """Every component below `component`, including what rx.foreach renders per item."""
    yield component
    children = list(getattr(component, "children", None) or [])
    if isinstance(component, Foreach):
        children.append(component._render().render_component())
    for child in children:
        if isinstance(child, rx.Component):
            yield from walk(child)


@cache
def page_forms() -> dict[str, list[Form]]:
    """route -> the forms its page renders (inline forms behind rx.cond included)."""
    from reflex_base.registry import RegistrationContext

    import hsa.pages  # noqa: F401 - registers every page

    found: dict[str, list[Form]] = {}
    for render, kwargs in RegistrationContext.ensure_context().decorated_pages:
        found[kwargs["route"]] = [c for c in walk(render()) if isinstance(c, Form)]
    return found


def rendered_forms() -> set[str]:
    return {str(f.custom_attrs.get("data-form", "")) for forms in page_forms().values() for f in forms}
