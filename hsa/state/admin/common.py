"""What the admin page states share: argument parsing, one way to call an admin service, audit rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import reflex as rx

from hsa.i18n.stored import is_message
from hsa.i18n.text import say, tr
from hsa.services.errors import DomainError
from hsa.state.auth import token_call, token_of
from hsa.state.values import as_int

# A request status and the catalog key of its label.
STATUS_KEYS = {"requested": "admin_common.status_requested", "assigned": "admin_common.status_assigned",
               "in_progress": "admin_common.status_in_progress", "completed": "admin_common.status_completed",
               "closed": "admin_common.status_closed", "cancelled": "admin_common.status_cancelled"}


class _StatusLabels(Mapping[str, str]):
    """status -> its label, said in the current event's language each time it is read."""

    def __getitem__(self, status: str) -> str:
        return tr(STATUS_KEYS[status])

    def __iter__(self) -> Iterator[str]:
        return iter(STATUS_KEYS)

    def __len__(self) -> int:
        return len(STATUS_KEYS)


STATUS_LABELS: Mapping[str, str] = _StatusLabels()


def int_arg(value: object, default: int = 0) -> int:
    return as_int(value, default, low=0) or default



async def admin_call(state: rx.State, fn: Callable[..., Any], **kwargs: Any) -> tuple[Any, DomainError | None]:
    """Run an admin service; return (result, error) so handlers stay short."""
    return await token_call(await token_of(state), fn, **kwargs)





def said_fields(view: object) -> dict[str, Any]:
    """A service view's fields for a UI row: messages (a date, "system") said in the page's
    language; everything else — stored event data, names — as it is."""
    return {name: say(value) if is_message(value) else value for name, value in vars(view).items()}


@dataclass
class AuditRowUI:
    id: int = 0
    when: str = ""
    actor: str = ""
    action: str = ""
    target: str = ""
    details: str = ""
