"""What every page with forms shares: a busy flag and the tab's idempotency key.

`submits` wraps a form's submit handler: it first sends `busy=True` (the submit buttons show a
spinner and are disabled), runs the handler, then clears the flag and issues a new key. A
second submit that slipped past the browser's throttle carries the old key, so the service
returns the first result instead of booking twice; a submit after the answer carries the new
key and is a new request. The key is per tab and random; it is never trusted for anything but
deduplication, and keys are scoped per user in the service.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import reflex as rx

from hsa.fields import IDEMPOTENCY_FIELD

S = TypeVar("S", bound=rx.State)


class FormState(rx.State, mixin=True):
    busy: bool = False
    submit_key: str = ""
    successes: int = 0  # bumped on success: a form keyed on it starts empty again (a failure keeps the input)

    def _fresh_key(self) -> None:
        self.submit_key = secrets.token_urlsafe(16)


def split_key(form_data: dict) -> tuple[dict, str | None]:
    """The submitted fields without the idempotency key, and the key (None when absent)."""
    data = {k: v for k, v in form_data.items() if k != IDEMPOTENCY_FIELD}
    key = form_data.get(IDEMPOTENCY_FIELD)
    return data, key if isinstance(key, str) and key else None


def submits(fn: Callable[[Any, dict], Awaitable[Any]]) -> Callable[[Any, dict], AsyncIterator[Any]]:
    """Decorator for a FormState submit handler `async def h(self, form_data: dict)`."""
    @functools.wraps(fn)
    async def handler(self: Any, form_data: dict) -> AsyncIterator[Any]:
        self.busy = True
        yield
        try:
            result = await fn(self, form_data)
        finally:
            self.busy = False
            self._fresh_key()
        yield result
    return handler
