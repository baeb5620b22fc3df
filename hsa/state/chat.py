"""A booking's chat page (parties) — live, with read receipts and reports — and the admin's reading."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from hsa import routes
from hsa.i18n.stored import is_message
from hsa.i18n.text import say, tr
from hsa.services import changes, chat, reports
from hsa.services.errors import DomainError, NotFound
from hsa.state.auth import call_as_actor, errors_of, fail, guard_page
from hsa.state.forms import FormState, split_key, submits
from hsa.state.push import LiveState, live
from hsa.state.rows import said_moment
from hsa.state.values import as_int


@dataclass
class MessageRow:
    id: int = 0
    mine: bool = False
    sender: str = ""
    body: str = ""
    when: str = ""
    read: bool = False
    masked: bool = False


# A report's reason and the catalog key of its label (the page says them with `t`), in the service's order.
REASON_KEYS = {"abuse": "chat.reason_abuse", "fraud": "chat.reason_fraud",
               "off_platform": "chat.reason_off_platform", "other": "chat.reason_other"}
REASON_CHOICES = [(r.value, REASON_KEYS[r.value]) for r in reports.REASONS]  # (value, catalog key)


def _rows(view: chat.ThreadView) -> list[MessageRow]:
    """Names and messages as written; only the time is said in the reader's language."""
    return [MessageRow(id=m.id, mine=m.mine, sender=m.sender, body=_as_written(m.body), when=said_moment(m.when),
                       read=m.read, masked=m.masked) for m in view.messages]


def _as_written(body: str) -> str:
    """What a person typed stays as typed; only our own notice ("[number hidden]") is said."""
    return say(body) if is_message(body) else str(body)


def _title(title: str) -> str:
    """The service's "Plumbing · Sat 5 Dec, 10:00" in the current language (name, then the time)."""
    if is_message(title):  # the service's name and time, each in the reader's language
        return say(title)
    name, dot, when = title.rpartition(" · ")
    return f"{say(name)}{dot}{said_moment(when)}" if dot else say(title)


def _thread_or_none(*, session, actor, request_id: int) -> chat.ThreadView | None:  # noqa: ANN001
    """The page's data in its guard's one trip: None when it is not this person's booking (the
    page says so; guard_page still fills the navbar)."""
    if actor is None:
        return None
    try:
        return chat.thread(session=session, actor=actor, request_id=request_id)
    except DomainError:
        return None


def _requested(state: rx.State) -> int:
    return as_int(state.router.url.query_parameters.get(routes.FOCUS_PARAM), 0, low=0) or 0


@live(route=routes.CHAT, interval=0.5)
class ChatState(LiveState, FormState, rx.State):
    request_id: int = 0
    title: str = ""
    other_name: str = ""
    writable: bool = False
    messages: list[MessageRow] = []
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    loaded: bool = False
    reporting: int = -1  # the message whose report form is open (0: the person; -1: none)

    def _show(self, view: chat.ThreadView | None) -> None:
        if view is None:
            return
        self.request_id, self.title, self.other_name = view.request_id, _title(view.title), view.other_name
        self.writable, self.messages, self.loaded = view.writable, _rows(view), True

    async def _read_and_show(self) -> bool:
        """Reload the thread and record that this person has now seen it."""
        try:
            await call_as_actor(self, chat.mark_read, request_id=self.request_id)
            actor, view = await call_as_actor(self, chat.thread, readonly=True, request_id=self.request_id)
        except DomainError:
            return False
        if actor is None:
            return False
        self._show(view)
        return True

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.errors, self.error, self.notice, self.loaded, self.reporting = {}, "", "", False, -1
        self._mark_fresh()
        actor, view, redirect = await guard_page(self, routes.CHAT, _thread_or_none, request_id=_requested(self))
        if redirect or actor is None:
            return redirect
        if view is None:
            self.error = tr("chat.unavailable")
            return None
        self._fresh_key()
        self._show(view)
        await self._watch([changes.chat(self.request_id)])
        if any(not m.mine and not m.read for m in self.messages):
            await self._read_and_show()
        return rx.call_script("document.getElementById('chat-end')?.scrollIntoView({block: 'end'})")

    @rx.event
    @submits
    async def send(self, form_data: dict) -> rx.event.EventSpec | None:
        form_data, key = split_key(form_data)
        try:
            await call_as_actor(self, chat.send, request_id=self.request_id,
                                body=str(form_data.get("body", ""))[:2000], idempotency_key=key)
        except DomainError as exc:
            self.errors, self.error = errors_of(exc), "" if errors_of(exc) else exc.message
            return await fail(self, exc)
        self.errors, self.error, self.notice = {}, "", ""
        self.successes += 1  # the box starts empty again
        self._mark_fresh()
        await self._read_and_show()
        return rx.call_script("document.getElementById('chat-end')?.scrollIntoView({block: 'end'})")

    @rx.event
    def show_report(self, message_id: int | str) -> None:
        """UI only: open the report form for one message (0: report the person)."""
        wanted = as_int(message_id, -1)
        self.reporting = -1 if wanted is None or self.reporting == wanted else wanted
        self.errors, self.notice = {}, ""

    @rx.event
    @submits
    async def report(self, form_data: dict) -> rx.event.EventSpec | None:
        message_id = as_int(form_data.get("message_id"), 0, low=0) or None
        try:
            await call_as_actor(self, reports.file, request_id=self.request_id, message_id=message_id,
                                reason=str(form_data.get("reason", ""))[:20],
                                details=str(form_data.get("details", ""))[:1000])
        except DomainError as exc:
            self.errors, self.error = errors_of(exc), "" if errors_of(exc) else exc.message
            return await fail(self, exc)
        self.errors, self.error, self.reporting = {}, "", -1
        self.notice = tr("chat.reported")
        return None

    async def _on_push(self, topics: frozenset[str]) -> bool:
        return await self._read_and_show()


class AdminChatState(rx.State):
    """A reported booking's thread for support: read-only, and each opening is audited."""

    title: str = ""
    messages: list[MessageRow] = []
    error: str = ""
    loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.error, self.loaded = "", False
        try:
            actor, view, redirect = await guard_page(self, routes.ADMIN_CHAT)
            if redirect or actor is None:
                return redirect
            _, view = await call_as_actor(self, chat.read_as_admin, request_id=_requested(self))
        except DomainError as exc:
            self.error = tr("chat.admin_no_report") if isinstance(exc, NotFound) else exc.message
            return await fail(self, exc)
        if view is not None:
            self.title, self.messages, self.loaded = _title(view.title), _rows(view), True
        return None
