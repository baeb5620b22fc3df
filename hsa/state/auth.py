"""The browser's session token and the helpers every handler uses to act as the real user.

`call_as_actor` re-resolves the actor from the token on every event (the database, or for a
token seen seconds ago `services.actor_cache`, emptied by every revocation), in a worker thread
(bcrypt and SQL never block the event loop). Page guards built on it are
for navigation only; the services check permissions again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import reflex as rx

from hsa import routes
from hsa.db import session_scope
from hsa.i18n.text import msg, say
from hsa.observability.logs import actor_bound, bind_actor  # actor id on this event's log lines
from hsa.pools import run_sign_in
from hsa.services import accounts
from hsa.services.actors import Actor
from hsa.services.clients import client_address
from hsa.services.errors import DomainError, NotAuthenticated, ValidationFailed
from hsa.services.sessions import resolve_actor
from hsa.settings import get_settings
from hsa.state.locale import LocaleState

T = TypeVar("T")

SESSION_ENDED = msg("errors.session_ended")


class SessionState(rx.State):
    """Holds only this browser's own token (in its localStorage) and what the navbar shows."""

    auth_token: str = rx.LocalStorage(name="hsa_session", sync=True)
    # Signed proof that this browser signed in to the account before: it may still sign in while
    # an attacker elsewhere has used up the account's budget (services/signin.py). Not a session.
    device_token: str = rx.LocalStorage(name="hsa_device", sync=True)
    viewer_name: str = ""
    viewer_role: str = ""
    viewer_verified: bool = True  # False: the navbar offers "Verify" and pages say why booking waits
    checked: bool = False  # navbar waits for the first guard so guests never see a flash of links
    flash: str = ""
    ended: bool = False  # the session ended while this tab was open (blocked, revoked): page hidden

    @rx.event
    async def logout(self) -> rx.event.EventSpec:
        """Revoke this session server-side, forget the token, go to the login page."""
        token = self.auth_token
        if token:
            await asyncio.to_thread(_logout, token)
        self.sign_out()
        return rx.redirect(routes.LOGIN)

    def sign_out(self, message: str = "") -> None:
        """Forget identity in this browser (not an event: handlers call it)."""
        self.auth_token = ""
        self.viewer_name = ""
        self.viewer_role = ""
        self.flash = say(message) if message else ""

    def sign_in(self, token: str, device_token: str = "") -> None:
        self.auth_token = token
        if device_token:
            self.device_token = device_token
        self.flash = ""
        self.ended = False


async def end_if_signed_out(root: rx.State, page_state: rx.State) -> bool:
    """Called by a live push whose refresh found no actor: if the tab's token no longer resolves
    (blocked, deleted, revoked, expired), wipe the page's data and sign the tab out at once,
    instead of leaving private data on screen until the person's next click."""
    session_state = await root.get_state(SessionState)
    token = session_state.auth_token
    actor, _ = await asyncio.to_thread(_resolve_and_call, token, None, {}, True) if token else (None, None)
    if actor is not None:
        return False
    page_state.reset()
    if not token:  # this tab signed out on purpose (log out, account deleted): keep what it was told
        return True
    session_state.sign_out(SESSION_ENDED)
    session_state.ended = True
    return True


def _logout(token: str) -> None:
    with session_scope() as session:
        accounts.logout(session=session, token=token)


def _resolve_and_call(
    token: str, fn: Callable[..., T] | None, kwargs: dict[str, Any], readonly: bool = False
) -> tuple[Actor | None, T | None]:
    with session_scope(readonly=readonly) as session:
        actor = resolve_actor(session=session, token=token)
        if fn is None:
            return actor, None
        return actor, fn(session=session, actor=actor, **kwargs)


async def call_as_actor(
    state: rx.State, fn: Callable[..., T] | None = None, *, readonly: bool = False, **kwargs: Any
) -> tuple[Actor | None, T | None]:
    """Resolve the actor from this browser's token and run `fn(session=, actor=, **kwargs)`.

    `readonly=True` for pure reads (page loads, searches, dashboards, live refreshes): on SQLite they then do not take
    the write lock, so a long aggregate never holds up bookings.
    """
    return await call_with_token(await token_of(state), fn, readonly=readonly, **kwargs)


async def token_of(state: rx.State) -> str:
    """This browser's session token (a background task reads it inside `async with self`)."""
    return (await state.get_state(SessionState)).auth_token


async def call_with_token(
    token: str, fn: Callable[..., T] | None = None, *, readonly: bool = False, **kwargs: Any
) -> tuple[Actor | None, T | None]:
    """`call_as_actor` for a background task, which may not read other states outside `async with
    self`: it reads the token there once, and each call still resolves the actor from it afresh."""
    return actor_bound(await asyncio.to_thread(_resolve_and_call, token, fn, kwargs, readonly))


async def token_call(token: str, fn: Callable[..., Any], **kwargs: Any) -> tuple[Any, DomainError | None]:
    """`call_with_token` returning (result, error) instead of raising, for background tasks' loops."""
    try:
        _, result = await call_with_token(token, fn, **kwargs)
        return result, None
    except DomainError as exc:
        return None, exc


async def call_public(fn: Callable[..., T], *, sign_in: bool = False, **kwargs: Any) -> T:
    """Run a service that needs no actor (catalog, login, registration) off the event loop.

    `sign_in=True` for the paths that hash a password: they run on the sign-in threads (hsa/pools.py).
    """
    def run() -> T:
        with session_scope() as session:
            return fn(session=session, **kwargs)
    if sign_in:
        return await run_sign_in(run)
    return await asyncio.to_thread(run)


def client_ip_of(state: rx.State) -> str:
    """The tab's real address: its socket's peer, or what a trusted proxy says it forwarded."""
    router = state.router
    forwarded = router.headers.raw_headers.get("x-forwarded-for", "")
    return client_address(router.session.client_ip, forwarded, get_settings().trusted_proxies)


@dataclass(frozen=True)
class PagePart:
    """Something every page shows besides its own data (the navbar's bell). Loaded by `guard_page`
    in the page's own database trip and event, instead of a second on_load event per page that
    queued, locked the tab's state and resolved the actor again."""

    state: type[rx.State]
    load: Callable[..., Any]  # (session=, actor=) -> data, in the worker thread; actor is never None
    show: Callable[[Any, Actor | None, Any], Awaitable[None]]  # (that state, actor, data) on the event loop


_PARTS: list[PagePart] = []


def on_every_page(part: PagePart) -> None:
    """Register a part (at import of its state module)."""
    if part not in _PARTS:
        _PARTS.append(part)


def _guarded(
    token: str, route: str, fn: Callable[..., T] | None, kwargs: dict[str, Any]
) -> tuple[Actor | None, T | None, str | None, list[Any]]:
    # Page loads only read: a deferred transaction keeps them out of SQLite's writer queue.
    with session_scope(readonly=True) as session:
        actor = resolve_actor(session=session, token=token)
        target = routes.redirect_for(route, actor.role if actor else None)
        if target is not None:
            return actor, None, target, []
        parts = [part.load(session=session, actor=actor) if actor else None for part in _PARTS]
        if fn is None:
            return actor, None, None, parts
        return actor, fn(session=session, actor=actor, **kwargs), None, parts


async def guard_page(state: rx.State, route: str, fn: Callable[..., T] | None = None,
                     **kwargs: Any) -> tuple[Actor | None, T | None, rx.event.EventSpec | None]:
    """Resolve the actor, apply the route's access rule, then load the page's data and every
    `PagePart` (one DB trip, one event).

    Returns (actor, data, redirect). A token that no longer resolves (expired, revoked,
    blocked) is dropped from the browser so the user is signed out.
    """
    session_state = await state.get_state(SessionState)
    token = session_state.auth_token
    locale = await state.get_state(LocaleState)
    locale.decide(None)  # the page's data in the tab's language; the account's choice below
    actor, data, target, parts = await asyncio.to_thread(_guarded, token, route, fn, kwargs)
    bind_actor(actor)
    locale.decide(actor)
    for part, part_data in zip(_PARTS, parts, strict=False):
        await part.show(await state.get_state(part.state), actor, part_data)
    if actor is None and token:
        session_state.sign_out(SESSION_ENDED)
    session_state.viewer_name = actor.full_name if actor else ""
    session_state.viewer_role = actor.role.value if actor else ""
    session_state.viewer_verified = actor.verified if actor else True
    session_state.checked = True
    session_state.ended = False  # a new page: its own guard decides (the "ended" view is for the page left open)
    return actor, data, rx.redirect(target) if target else None


# After a refused form, keyboard and screen-reader users land on the first field to fix (WCAG 3.3.1):
# once React has rendered the messages (a few frames), the first aria-invalid control of the form
# that was sent (the one holding focus; else the page) takes focus — unless the person has already
# moved on, so a quick correction elsewhere never has its typing pulled away.
FOCUS_FIRST_INVALID = """(() => {
  const start = document.activeElement, scope = start && start.closest && start.closest('form');
  let n = 0;
  const go = () => {
    const now = document.activeElement;
    if (now && now !== start && now !== document.body) return;
    const root = scope && scope.isConnected ? scope : document.querySelector('main');
    const el = root && root.querySelector('[aria-invalid="true"]');
    if (el) { el.focus(); el.scrollIntoView({block: 'center'}); } else if (n++ < 30) requestAnimationFrame(go);
  };
  requestAnimationFrame(go);
})()"""


async def fail(state: rx.State, exc: DomainError) -> rx.event.EventSpec | None:
    """Common handling for a refused event: sign out on NotAuthenticated; for bad input, move focus
    to the first field with a message; else let the page show it."""
    if isinstance(exc, NotAuthenticated):
        session_state = await state.get_state(SessionState)
        session_state.sign_out(SESSION_ENDED)
        return rx.redirect(routes.LOGIN)
    if isinstance(exc, ValidationFailed) and exc.fields:
        return rx.call_script(FOCUS_FIRST_INVALID)
    return None


def errors_of(exc: DomainError) -> dict[str, str]:
    """Per-field messages for a form (empty for non-field errors)."""
    return dict(exc.fields) if isinstance(exc, ValidationFailed) else {}
