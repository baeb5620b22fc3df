"""What the admin page states share: argument parsing, one way to call an admin service, audit rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from hsa.services.errors import DomainError
from hsa.state.auth import token_call, token_of
from hsa.state.values import as_int

STATUS_LABELS = {"requested": "Waiting", "assigned": "Accepted", "in_progress": "In progress",
                 "completed": "Completed", "closed": "Closed", "cancelled": "Cancelled"}


def int_arg(value: object, default: int = 0) -> int:
    return as_int(value, default, low=0) or default



async def admin_call(state: rx.State, fn: Callable[..., Any], **kwargs: Any) -> tuple[Any, DomainError | None]:
    """Run an admin service; return (result, error) so handlers stay short."""
    return await token_call(await token_of(state), fn, **kwargs)





@dataclass
class AuditRowUI:
    id: int = 0
    when: str = ""
    actor: str = ""
    action: str = ""
    target: str = ""
    details: str = ""
