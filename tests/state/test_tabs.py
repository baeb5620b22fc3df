"""Tab limits against Reflex's real in-memory state manager (pins the internals tabs.py relies on)."""

from __future__ import annotations

import asyncio
import contextvars
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import reflex as rx
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken

import hsa.hsa  # noqa: F401 - registers every state class
from hsa.state import tabs
from hsa.state.auth import SessionState
from hsa.state.tabs import TabLimits, environ_address


class _App:
    """What TabLimits reads from Reflex's App: its state manager (a real one)."""

    def __init__(self) -> None:
        self.state_manager = StateManagerMemory()


async def _tab(manager: StateManagerMemory, token: str, auth: str) -> None:
    async with manager.modify_state(BaseStateToken(ident=token, cls=rx.State)) as root:
        (await root.get_state(SessionState)).auth_token = auth


def test_a_closed_anonymous_tab_is_dropped_soon_and_a_signed_in_one_keeps_its_hour(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_ANONYMOUS_TAB_MINUTES", "2")

    async def scenario() -> tuple[float, float, float]:
        app = _App()
        manager = app.state_manager
        anon, signed = str(uuid.uuid4()), str(uuid.uuid4())
        await _tab(manager, anon, "")
        await _tab(manager, signed, "a-session-token")
        limits = TabLimits(app)
        assert limits.forget_soon_if_anonymous(anon) is True
        assert limits.forget_soon_if_anonymous(signed) is False
        return (manager._token_expires_at[anon][0], manager._token_expires_at[signed][0], time.time())

    with ThreadPoolExecutor(1) as pool:  # its own loop: Playwright's sync API may own this thread's
        anon_at, signed_at, now = pool.submit(contextvars.copy_context().run, asyncio.run, scenario()).result()
    assert anon_at <= now + 120 + 1
    assert signed_at >= now + 3000  # Reflex's default hour


def test_the_connecting_address_honours_only_trusted_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    environ = {"asgi.scope": {"client": ("127.0.0.1", 5000), "headers": [(b"x-forwarded-for", b"198.51.100.4")]}}
    assert environ_address(environ) == "127.0.0.1"
    monkeypatch.setenv("HSA_TRUSTED_PROXIES", "127.0.0.1")
    assert environ_address(environ) == "198.51.100.4"


def test_one_tab_may_send_a_burst_then_a_steady_trickle() -> None:
    limits = TabLimits(_App())
    sent = [limits._event_allowed("sid-1") for _ in range(100)]
    assert sent.count(True) == int(tabs.EVENT_BURST)  # a script's flood: the rest is dropped
    assert limits._event_allowed("sid-2")  # another tab has its own bucket
    limits.events["sid-1"][1] -= 1.0  # one second later (the bucket's clock, moved back)
    assert sum(limits._event_allowed("sid-1") for _ in range(100)) == int(tabs.EVENT_RATE)
