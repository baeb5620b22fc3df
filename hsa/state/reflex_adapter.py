"""The live-push layer's only contact with Reflex: who is connected where, and one tab's state.

Why a module of its own: pushing to a tab needs two things Reflex 0.10.1 has no public API for,
both on the socket namespace's token manager (`app.event_namespace._token_manager`) — whether a
tab's socket is open on *any* worker, and whether it is open on *this* worker (each worker
refreshes only its own tabs). Everything else used here is public (`App.modify_state`,
`rx.BaseStateToken`, `State.router`). Keeping every such access in these few functions means a
Reflex upgrade touches one file, and `tests/state/test_reflex_adapter.py` pins the names and
signatures used here against the installed Reflex, so an upgrade that moves them fails there
rather than silently stopping live pages.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx


def _token_manager(app: Any) -> Any | None:
    """The app's token manager (`EventNamespace._token_manager`, private), or None before the
    socket namespace exists (tests, CLI). Its `token_to_socket` maps a client token to a
    `SocketRecord(instance_id, sid)`; its own `instance_id` names this worker."""
    namespace = getattr(app, "event_namespace", None) if app is not None else None
    return getattr(namespace, "_token_manager", None) if namespace is not None else None


def can_deliver(app: Any) -> bool:
    """Whether `app` is a started Reflex app that can modify tab states (not None, has sockets)."""
    return _token_manager(app) is not None


async def connected_anywhere(app: Any, token: str) -> bool:
    """Is the tab's socket open on any worker? True when unknown (no app yet), so a caller that
    stops work for a gone tab never stops it by mistake. With Redis this asks Redis."""
    manager = _token_manager(app)
    if manager is None:
        return True
    with contextlib.suppress(Exception):
        return bool(await manager.is_token_connected(token))
    return True


def connected_here(app: Any, token: str) -> bool:
    """Is the tab's socket open on *this* worker? (Records of other workers' sockets are cached
    in the same map with their own instance id.)"""
    manager = _token_manager(app)
    if manager is None:
        return False
    record = manager.token_to_socket.get(token)
    return record is not None and record.instance_id == manager.instance_id


def connected_tokens(app: Any) -> set[str]:
    """Every tab token whose socket is open on this worker."""
    manager = _token_manager(app)
    if manager is None:
        return set()
    mine = manager.instance_id
    return {token for token, record in list(manager.token_to_socket.items()) if record.instance_id == mine}


@contextlib.asynccontextmanager
async def tab_state(app: Any, token: str, cls: type[rx.State]) -> AsyncIterator[tuple[rx.State, Any]]:
    """Hold the tab's state lock and yield (root state, the `cls` substate); Reflex sends the
    resulting delta to the tab when the block ends."""
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=cls)) as root:
        yield root, await root.get_state(cls)


def client_token(state: rx.State) -> str:
    """The browser tab behind a state (stable across the tab's reconnects)."""
    return state.router.session.client_token


def page_path(state: rx.State) -> str:
    """The path of the tab's current page (router data follows the tab's last event)."""
    return state.router.url.path


def state_name(cls: type[rx.State]) -> str:
    """The state class's full dotted name, as Reflex keys substates."""
    return cls.get_full_name()
