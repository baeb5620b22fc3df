"""Pins the Reflex internals the live-push layer relies on (`hsa/state/reflex_adapter.py`).

Run against the installed Reflex and the app's real socket namespace and state manager: after an
upgrade that renames or reshapes any of them, this fails here, instead of live pages silently
going still. What is pinned: `EventNamespace._token_manager`, its `token_to_socket` map of
`SocketRecord(instance_id, sid)`, its `instance_id`, `is_token_connected(token)`,
`link_token_to_sid(token, sid)` / `disconnect_token(token, sid)` (used here to fake a socket),
`App.modify_state(BaseStateToken(ident, cls))` and `EventNamespace.emit_update(update, token)`.
"""

from __future__ import annotations

import inspect
import time
import uuid
from typing import Any

import pytest
import reflex as rx
from reflex.app import App, EventNamespace
from reflex.utils.token_manager import LocalTokenManager, RedisTokenManager, SocketRecord, TokenManager

import hsa.hsa
from hsa.state import push
from hsa.state import reflex_adapter as adapter
from hsa.state.notifications import NotificationState
from tests.state.push_support import run_async

APP: Any = hsa.hsa.app


def _parameters(fn: Any) -> list[str]:
    return list(inspect.signature(fn).parameters)


def test_the_private_names_exist_with_the_expected_shapes() -> None:
    namespace = APP.event_namespace
    assert isinstance(namespace, EventNamespace)
    manager = namespace._token_manager
    assert isinstance(manager, TokenManager) and isinstance(manager.instance_id, str)
    assert isinstance(manager.token_to_socket, dict)
    assert {f.name for f in SocketRecord.__dataclass_fields__.values()} == {"instance_id", "sid"}
    assert issubclass(RedisTokenManager, LocalTokenManager)  # the Redis manager keeps the same local map
    for cls in (LocalTokenManager, RedisTokenManager):
        assert inspect.iscoroutinefunction(cls.is_token_connected)
        assert _parameters(cls.is_token_connected) == ["self", "token"]
    assert _parameters(LocalTokenManager.link_token_to_sid) == ["self", "token", "sid"]
    assert _parameters(App.modify_state)[:2] == ["self", "token"]
    assert _parameters(EventNamespace.emit_update) == ["self", "update", "token"]
    assert set(rx.BaseStateToken.__dataclass_fields__) >= {"ident", "cls"}


def test_connected_here_tells_this_workers_sockets_from_another_workers() -> None:
    manager = APP.event_namespace._token_manager
    mine, theirs, gone = (str(uuid.uuid4()) for _ in range(3))

    async def scenario() -> tuple[bool, ...]:
        await manager.link_token_to_sid(mine, f"sid-{mine}")
        manager.token_to_socket[theirs] = SocketRecord(instance_id="another-worker", sid=f"sid-{theirs}")
        try:
            return (adapter.connected_here(APP, mine), adapter.connected_here(APP, theirs),
                    adapter.connected_here(APP, gone), await adapter.connected_anywhere(APP, mine),
                    await adapter.connected_anywhere(APP, gone), mine in adapter.connected_tokens(APP),
                    theirs in adapter.connected_tokens(APP))
        finally:
            await manager.disconnect_token(mine, f"sid-{mine}")
            manager.token_to_socket.pop(theirs, None)

    assert run_async(scenario()) == (True, False, False, True, False, True, False)
    assert adapter.connected_here(None, mine) is False  # no app (CLI, tests): nothing is "here"


def test_a_push_refreshes_this_workers_tab_through_the_real_state_manager(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`push._deliver` end to end on the real app: a signed-out tab's refresh wipes it and the
    delta goes to that tab; a tab that reloaded after the commit is left alone; a tab whose
    socket is on another worker is dropped without touching its state."""
    namespace = APP.event_namespace
    manager = namespace._token_manager
    emitted: list[tuple[str, dict]] = []

    async def emit_update(update: Any, token: str) -> None:
        emitted.append((token, update.delta))

    monkeypatch.setattr(namespace, "emit_update", emit_update)
    spec = push.HUB.specs[NotificationState.get_full_name()]
    token, elsewhere = str(uuid.uuid4()), str(uuid.uuid4())

    async def scenario() -> tuple[bool, int, bool, int, bool]:
        await manager.link_token_to_sid(token, f"sid-{token}")
        manager.token_to_socket[elsewhere] = SocketRecord(instance_id="another-worker", sid="x")
        try:
            signed_out = await push._deliver(APP, token, spec, frozenset({"note:1"}), time.time())
            after_first = len(emitted)
            async with adapter.tab_state(APP, token, NotificationState) as (_, state):
                state._fresh_at = time.time() + 60
            fresh = await push._deliver(APP, token, spec, frozenset({"note:1"}), time.time())
            moved = await push._deliver(APP, elsewhere, spec, frozenset({"note:1"}), time.time())
            return signed_out, after_first, fresh, len(emitted), moved
        finally:
            await manager.disconnect_token(token, f"sid-{token}")
            manager.token_to_socket.pop(elsewhere, None)

    signed_out, after_first, fresh, total, moved = run_async(scenario())
    assert signed_out is False and after_first == 1 and emitted[0][0] == token  # wiped, delta sent to it
    assert fresh is True and total == after_first  # reloaded after the commit: no refresh, no delta
    assert moved is False
