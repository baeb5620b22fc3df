"""Waiting for a condition outside a browser page (a server coming up, a metric moving), with a deadline.

Playwright's `expect` does this for what a page shows; this is the same for processes and files.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.2,
               give_up: Callable[[], str | None] = lambda: None) -> None:
    """Return once `condition()` holds; fail after `timeout` seconds, or at once when `give_up()`
    names a reason (e.g. the server process exited: waiting longer cannot help)."""
    deadline = time.monotonic() + timeout
    while not condition():
        reason = give_up()
        if reason is not None:
            raise AssertionError(f"{what}: {reason}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)
