"""The notification bell and list: unread count on every page, pushed live on `note:<user id>`."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n import DEFAULT, current, formats
from hsa.models import Role
from hsa.services import changes, notifications
from hsa.services.actors import Actor
from hsa.services.errors import DomainError
from hsa.services.scheduling import IST
from hsa.state.auth import PagePart, call_as_actor, fail, guard_page, on_every_page
from hsa.state.push import LiveState, live
from hsa.state.values import as_id


@dataclass
class NotificationRow:
    id: int = 0
    kind: str = ""
    title: str = ""
    body: str = ""
    when: str = ""
    read: bool = False
    href: str = ""


def _href(role: Role, request_id: int | None) -> str:
    """Deep link to the booking the notification is about."""
    return routes.request_url(role, request_id) if request_id is not None else ""


def _when(n: notifications.NotificationView) -> str:
    """When it was sent, in the event's language (the service's English label as it was)."""
    return n.when if current() == DEFAULT else formats.moment(n.created_at.astimezone(IST))


def _own_page(*, session, actor) -> notifications.NotificationPage | None:  # noqa: ANN001 - service-style
    try:
        return notifications.list_for_user(session=session, actor=actor, limit=30)
    except DomainError:
        return None


@live(interval=0.5)
class NotificationState(LiveState, rx.State):
    """Loaded with every page (the bell is in the navbar); no page guard of its own."""

    unread: int = 0
    items: list[NotificationRow] = []
    error: str = ""

    async def _reload(self) -> int | None:
        """Reload for the re-resolved actor; their user id, or None (signed out: nothing shown)."""
        actor, page = await call_as_actor(self, _own_page, readonly=True)
        return self._show(actor, page)

    def _show(self, actor: Actor | None, page: notifications.NotificationPage | None) -> int | None:
        if actor is None or page is None:
            self.unread, self.items = 0, []
            return None
        role = actor.role
        self.unread = page.unread_count
        self.items = [NotificationRow(id=n.id, kind=n.kind, title=n.title, body=n.body, when=_when(n), read=n.read,
                                      href=_href(role, n.request_id)) for n in page.items]
        return actor.id

    async def _loaded(self, actor: Actor | None, page: notifications.NotificationPage | None) -> None:
        """With every page (a `PagePart`): show the bell and follow its topics."""
        self.error = ""
        user_id = self._show(actor, page)
        if user_id is not None:
            # `user:` too: a block or delete reaches every open tab of theirs, whatever the page
            await self._watch([changes.note(user_id), changes.user(user_id)])

    @rx.event
    async def guard(self) -> rx.event.EventSpec | None:
        """Page guard of /notifications (navigation only; the services check the actor)."""
        _, _, redirect = await guard_page(self, routes.NOTIFICATIONS)
        return redirect

    @rx.event
    async def load(self) -> None:
        """The bell alone (pages load it through `guard_page`; kept for a page without a guard)."""
        actor, page = await call_as_actor(self, _own_page, readonly=True)
        await self._loaded(actor, page)

    async def _on_push(self, topics: frozenset[str]) -> bool:
        return await self._reload() is not None

    @rx.event
    async def mark_read(self, notification_id: int | str) -> rx.event.EventSpec | None:
        """Only the owner's notification can be marked (the service answers NotFound otherwise)."""
        return await self._act(notifications.mark_read, notification_id=as_id(notification_id) or 0)

    @rx.event
    async def mark_all_read(self) -> rx.event.EventSpec | None:
        return await self._act(notifications.mark_all_read)

    async def _act(self, fn, **kwargs: object) -> rx.event.EventSpec | None:  # noqa: ANN001
        try:
            await call_as_actor(self, fn, **kwargs)
        except DomainError as exc:
            self.error = exc.message
            return await fail(self, exc)
        self.error = ""
        self._mark_fresh()
        await self._reload()
        return None


on_every_page(PagePart(NotificationState, _own_page, NotificationState._loaded))
