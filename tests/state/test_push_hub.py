"""The push hub without Redis: commits in this process reach the tabs that watch their topics,
bursts are coalesced, wildcards match, and a tab whose delivery says "gone" is forgotten."""

from __future__ import annotations

import asyncio

import pytest

from hsa.db import session_scope
from hsa.models import Notification, NotificationKind
from hsa.services import changes
from hsa.state.push_hub import LiveSpec, TabRegistry
from tests.factories import make_user
from tests.state.push_support import PAGE, CountingHub, Deliveries, run_async


@pytest.fixture(autouse=True)
def _own_publishers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changes, "_publishers", list(changes._publishers))  # this test's hubs end with it


def _notify(user_id: int) -> None:
    with session_scope() as s:
        s.add(Notification(user_id=user_id, kind=NotificationKind.booking, title="Accepted"))
        s.commit()


def test_a_commit_in_this_process_reaches_only_the_tab_watching_its_topic(session) -> None:  # noqa: ANN001
    user_id = make_user(session).id
    assert user_id is not None
    session.commit()  # end the read that refresh() began: SQLite would keep its write lock

    async def scenario() -> list[tuple[str, frozenset[str]]]:
        hub, seen = CountingHub(), Deliveries()
        async with hub.running(None, seen):
            assert hub.on_commit in changes._publishers  # no Redis: the in-process transport
            hub.watch("bell", PAGE, [changes.note(user_id)])
            hub.watch("someone-else", PAGE, [changes.note(user_id + 1000)])
            await asyncio.to_thread(_notify, user_id)
            await seen.wait_for(lambda calls: bool(calls))
            await hub.flush()
        hub.on_commit(frozenset({changes.note(user_id) or ""}))  # after shutdown: a no-op, no error
        return seen.calls

    assert run_async(scenario()) == [("bell", frozenset({f"note:{user_id}"}))]


def test_a_burst_is_one_refresh_and_the_next_waits_out_the_interval() -> None:
    async def scenario() -> tuple[list[tuple[str, frozenset[str]]], float]:
        hub, seen = CountingHub(interval=0.3), Deliveries()
        async with hub.running(None, seen):
            hub.watch("tab", PAGE, ["user:1", "pool:3"])
            hub.receive(frozenset({"user:1"}), 0.0)
            hub.receive(frozenset({"pool:*"}), 0.0)  # every pool
            await seen.wait_for(lambda calls: len(calls) == 1)
            first = asyncio.get_running_loop().time()
            hub.receive(frozenset({"user:1"}), 0.0)
            await seen.wait_for(lambda calls: len(calls) == 2)
            gap = asyncio.get_running_loop().time() - first
        return seen.calls, gap

    calls, gap = run_async(scenario())
    assert calls == [("tab", frozenset({"user:1", "pool:*"})), ("tab", frozenset({"user:1"}))]
    assert gap >= 0.25  # the tab's interval, not the 30 ms debounce


def test_a_tab_that_is_gone_is_dropped_after_its_delivery_says_so() -> None:
    async def scenario() -> tuple[int, set[str]]:
        hub, seen = CountingHub(), Deliveries(keep=False)
        async with hub.running(None, seen):
            hub.watch("closed-tab", PAGE, ["user:1", "admin"])
            hub.receive(frozenset({"user:1"}), 0.0)
            await seen.wait_for(lambda calls: bool(calls))
            await hub.flush()
            hub.receive(frozenset({"admin"}), 0.0)
            await hub.flush()
            return len(seen.calls), hub.tabs.topics()

    assert run_async(scenario()) == (1, set())


def test_the_registry_keeps_only_open_tabs_and_slow_topics_wait_longer() -> None:
    tabs = TabRegistry()
    tabs.add(("open", PAGE), ["user:1"])
    tabs.add(("closed", PAGE), ["user:1", "admin"])
    assert tabs.keep_only({"open"}) == 1
    assert tabs.members("user:1") == {("open", PAGE)} and tabs.members("admin") == set()
    spec = LiveSpec(cls=object, route="", interval=0.5, slow={"pool:": 3.0})
    assert spec.interval_for({"pool:3", "pool:4"}) == 3.0
    assert spec.interval_for({"pool:3", "user:1"}) == 0.5  # their own job must not wait
