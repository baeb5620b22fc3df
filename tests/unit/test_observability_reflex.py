"""The Reflex hook (hsa/observability/reflex_hooks.py), exercised through Reflex's own event processor.

Events are enqueued on a real `BaseStateEventProcessor` with an in-memory state manager, exactly
as the websocket namespace does, so these tests fail if Reflex stops timing handlers through
`reflex_base.otel`, renames its instruments or attributes, or changes how errors propagate.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import inspect
import io
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import reflex as rx
from reflex.app import EventNamespace
from reflex.istate.manager.memory import StateManagerMemory
from reflex.state import State
from reflex_base import otel
from reflex_base.event import Event
from reflex_base.event.processor.base_state_processor import BaseStateEventProcessor
from reflex_base.event.processor.event_processor import EventProcessor
from sqlmodel import Session

import hsa.hsa  # noqa: F401 - registers every state and handler, and installs the hooks
from hsa.models import Role
from hsa.observability import reflex_hooks
from hsa.observability.metrics import ERRORS, EVENT_SECONDS, TABS
from hsa.state.auth import SessionState
from hsa.state.customer import CustomerHomeState
from hsa.state.login import LoginState
from tests.factories import make_user, token_for

TAB = "tab-observability-test"
SECRET = "Tr0ub4dor&3-never-logged"


class _Socket:
    """Stands in for Reflex's socket namespace: keeps what would be sent to the browser."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    async def emit_update(self, update: Any, token: str) -> None:
        self.sent.append(update)


def _event_count(handler: str, outcome: str) -> float:
    for family in EVENT_SECONDS.collect():
        for sample in family.samples:
            if sample.name.endswith("_count") and sample.labels == {"handler": handler, "outcome": outcome}:
                return sample.value
    return 0.0


def _process(event: Event, token: str = "", socket: _Socket | None = None, raises: bool = False) -> None:
    """Enqueue one event for TAB (signed in with `token`) and wait until it and its chain are done."""
    async def main() -> None:
        manager = StateManagerMemory()
        async with manager.modify_state(rx.BaseStateToken(ident=TAB, cls=State)) as root:
            root.router_data = {"pathname": "/customer"}  # a tab that already hydrated (keeps its token)
            root.get_substate(SessionState.get_full_name().split(".")[1:]).auth_token = token
        processor = BaseStateEventProcessor(backend_exception_handler=reflex_hooks.on_backend_exception)
        processor.configure(state_manager=manager, event_namespace=socket)  # type: ignore[arg-type]
        async with processor:
            future = await processor.enqueue(TAB, event)
            with pytest.raises(AttributeError) if raises else contextlib.nullcontext():
                await future.wait_all()
            await processor.join(timeout=10)
            while processor._tasks:  # the backend exception handler runs as a task of its own
                await asyncio.wait(list(processor._tasks.values()), timeout=10)

    # Playwright may own this thread's loop; the Reflex contexts set at import travel with the copy.
    ctx = contextvars.copy_context()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(ctx.run, asyncio.run, main()).result(timeout=60)


def _events(buffer: io.StringIO) -> list[dict]:
    return [line for line in map(json.loads, buffer.getvalue().splitlines()) if line["event"] == "reflex_event"]


def test_reflex_is_the_version_the_hook_was_checked_against() -> None:
    # Upgrading Reflex: re-read reflex_base/otel.py and the event processor, then bump this constant.
    assert rx.constants.Reflex.VERSION == reflex_hooks.REFLEX_VERSION_CHECKED
    assert list(inspect.signature(otel.enable).parameters)[:2] == ["tracer_provider", "meter_provider"]
    assert list(inspect.signature(otel.event_span).parameters) == ["event", "ctx", "registered_handler"]
    assert "otel.event_span" in inspect.getsource(EventProcessor._process_event_queue_entry)
    assert "otel.record_connection(1)" in inspect.getsource(EventNamespace.on_connect)
    assert "otel.record_connection(-1)" in inspect.getsource(EventNamespace.on_disconnect)


def test_installing_the_app_enabled_reflex_trace_points_with_our_instruments() -> None:
    assert otel.enabled and reflex_hooks.install_event_metrics()
    assert {reflex_hooks.EVENT_DURATION, reflex_hooks.STATE_ACQUIRE, reflex_hooks.CONNECTIONS} \
        <= reflex_hooks._Meter.created


@pytest.mark.parametrize(("name", "label"), [
    ("reflex___state____state.hsa___state___login____login_state.submit", "login_state.submit"),
    ("reflex___state____state.hydrate", "state.hydrate"),
    ("reflex___state____state.reflex___state____on_load_internal_state.on_load_internal",
     "on_load_internal_state.on_load_internal"),
])
def test_handler_labels_are_state_and_handler(name: str, label: str) -> None:
    assert reflex_hooks.handler_label(name) == label


def test_every_registered_handler_has_its_own_label() -> None:
    from reflex_base.registry import RegistrationContext

    names = list(RegistrationContext.get().event_handlers)
    assert len({reflex_hooks.handler_label(n) for n in names}) == len(names)


def test_a_handled_event_is_timed_and_logged_with_its_actor(session: Session, log_lines: io.StringIO) -> None:
    user = make_user(session, role=Role.customer)
    token = token_for(session, user)
    before = _event_count("customer_home_state.search", "ok")
    _process(Event(name=CustomerHomeState.get_full_name() + ".search",
                   payload={"form_data": {"pincode": "560034", "q": SECRET}}), token)
    assert _event_count("customer_home_state.search", "ok") == before + 1
    [line] = [e for e in _events(log_lines) if e["handler"] == "customer_home_state.search"]
    assert line["outcome"] == "ok" and line["level"] == "info" and line["actor_id"] == user.id
    assert line["event_id"] and isinstance(line["duration_ms"], float) and line["timestamp"].endswith("Z")
    text = log_lines.getvalue()
    assert token not in text and TAB not in text and SECRET not in text  # no tokens, no form payload


def test_a_password_typed_into_the_login_form_never_reaches_the_log(session: Session,
                                                                     log_lines: io.StringIO) -> None:
    make_user(session, email="known@example.com")
    session.commit()
    for email in ("known@example.com", "nobody@example.com"):
        _process(Event(name=LoginState.get_full_name() + ".submit",
                       payload={"form_data": {"email": email, "password": SECRET}}))
    assert [(e["handler"], e["outcome"]) for e in _events(log_lines)].count(("login_state.submit", "ok")) == 2
    assert SECRET not in log_lines.getvalue()


def test_a_handler_that_raises_is_counted_logged_with_its_trace_and_shown_a_generic_toast(
        db_url: str, log_lines: io.StringIO) -> None:
    errors = ERRORS.labels(kind="event_exception")._value.get()
    failed = _event_count("login_state.submit", "error")
    socket = _Socket()
    _process(Event(name=LoginState.get_full_name() + ".submit", payload={"form_data": "not a form"}),
             socket=socket, raises=True)
    assert _event_count("login_state.submit", "error") == failed + 1
    assert ERRORS.labels(kind="event_exception")._value.get() == errors + 1
    [line] = [e for e in _events(log_lines) if e["outcome"] == "error"]
    assert line["level"] == "error" and line["error_type"] == "AttributeError"
    assert "Traceback" in line["exception"] and "hsa/state/login.py" in line["exception"]
    shown = repr([update.events for update in socket.sent if getattr(update, "events", None)])
    assert "An error occurred." in shown
    assert "Traceback" not in shown and "AttributeError" not in shown and "login.py" not in shown


def test_a_cancelled_event_is_counted_apart_from_finished_ones(log_lines: io.StringIO) -> None:
    name = CustomerHomeState.get_full_name() + ".load"
    before = _event_count("customer_home_state.load", "cancelled")
    try:  # Reflex records the duration in a `finally` while the cancellation propagates
        raise asyncio.CancelledError
    except asyncio.CancelledError:
        reflex_hooks.event_finished(0.02, {otel.ATTR_EVENT_NAME: name})
    assert _event_count("customer_home_state.load", "cancelled") == before + 1
    assert [e["outcome"] for e in _events(log_lines)] == ["cancelled"]


def test_tab_connections_move_the_gauge() -> None:
    before = TABS._value.get()
    otel.record_connection(1)  # what EventNamespace.on_connect calls (pinned above)
    assert TABS._value.get() == before + 1
    otel.record_connection(-1)
    assert TABS._value.get() == before
