"""Push across processes through Redis pub/sub, against the machine's Redis (127.0.0.1:6379/7).

The cron path is the one that had no way to reach a browser: `python -m hsa.cli reminders` runs
in a plain process, commits a reminder, and the bell of the professional's open tab, held by a
web worker, must refresh. Here this test process plays the web worker (a hub subscribed to the
channel, recording deliveries) and the real CLI runs as a subprocess on the same SQLite file.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from hsa.db import session_scope
from hsa.models import RequestStatus, Role
from hsa.services import changes
from hsa.services.scheduling import IST
from hsa.state.push_hub import LISTENER_NAME
from tests.factories import make_request, make_service, make_user
from tests.state.push_support import PAGE, CountingHub, Deliveries, run_async

ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("HSA_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
DAY = (datetime.now(IST) + timedelta(days=2)).date()


@pytest.fixture
def redis_url(monkeypatch: pytest.MonkeyPatch) -> str:
    try:
        socket.create_connection(("127.0.0.1", 6379), 1).close()
    except OSError:
        pytest.skip("!! Redis is not running on 127.0.0.1:6379: cross-process push NOT tested !!")
    monkeypatch.setattr(changes, "_publishers", list(changes._publishers))  # this test's publisher ends with it
    return REDIS


def _touch(topic: str) -> None:
    with session_scope() as s:
        changes.touch(s, topic)
        s.commit()


def test_a_reminder_committed_by_the_cron_cli_reaches_a_tab_of_this_process(session, redis_url: str) -> None:  # noqa: ANN001
    plumbing = make_service(session, name="Plumbing")
    pro = make_user(session, role=Role.professional, full_name="Ravi Kumar", service=plumbing)
    customer = make_user(session, full_name="Asha Rao")
    make_request(session, customer=customer, service=plumbing, status=RequestStatus.assigned, professional=pro,
                 scheduled_at=datetime.combine(DAY, time(10), tzinfo=IST))
    session.commit()  # release SQLite's write lock before the CLI writes
    bell = changes.note(pro.id)
    assert bell is not None

    async def scenario() -> tuple[subprocess.CompletedProcess[str], set[str]]:
        hub, seen = CountingHub(), Deliveries()
        async with hub.running(None, seen, redis_url=redis_url):
            assert hub.on_commit not in changes._publishers  # with Redis, only the subscription delivers
            hub.watch("pro-tab", PAGE, [bell])
            hub.watch("customer-tab", PAGE, [changes.note(customer.id)])
            await asyncio.wait_for(hub.subscribed.wait(), 10)
            cron = await asyncio.to_thread(
                subprocess.run, [sys.executable, "-m", "hsa.cli", "reminders", "--now", f"{DAY}T07:00"], cwd=ROOT,
                env={**os.environ, "REFLEX_REDIS_URL": redis_url}, capture_output=True, text=True, timeout=120,
                check=False)
            assert cron.returncode == 0, cron.stderr
            await seen.wait_for(lambda calls: any(bell in topics for _, topics in calls))
            await hub.flush()
            return cron, seen.topics_for("customer-tab")

    cron, customer_topics = run_async(scenario())
    assert cron.stdout.strip() != "0 reminders sent"
    assert customer_topics == set()  # the customer's reminder is not due at 07:00: their tab is left alone


def test_a_commit_in_the_subscribed_process_is_delivered_once(db_url: str, redis_url: str) -> None:
    mine, later = f"test:{uuid.uuid4()}", f"test:{uuid.uuid4()}"

    async def scenario() -> list[frozenset[str]]:
        hub, seen = CountingHub(), Deliveries()
        async with hub.running(None, seen, redis_url=redis_url):
            hub.watch("tab", PAGE, [mine])
            hub.watch("other-tab", PAGE, [later])
            await asyncio.wait_for(hub.subscribed.wait(), 10)
            await asyncio.to_thread(_touch, mine)
            await asyncio.to_thread(_touch, later)  # published after `mine`, so received after it
            await seen.wait_for(lambda calls: any(later in topics for _, topics in calls))
            await hub.flush()
        return [batch for batch in hub.received if mine in batch]

    assert run_async(scenario()) == [frozenset({mine})]


def test_after_the_subscription_drops_every_tab_is_refreshed_once(redis_url: str) -> None:
    """Pub/sub keeps nothing for a subscriber that is away: after re-subscribing, each tab here is
    refreshed with all of its topics, so nothing published meanwhile stays unseen."""
    import redis

    mine = f"test:{uuid.uuid4()}"
    admin = redis.Redis.from_url(redis_url)
    ours = f"{LISTENER_NAME}:{os.getpid()}"

    async def scenario() -> set[str]:
        hub, seen = CountingHub(), Deliveries()
        async with hub.running(None, seen, redis_url=redis_url):
            hub.watch("tab", PAGE, [mine, "admin"])
            await asyncio.wait_for(hub.subscribed.wait(), 10)
            for client in admin.client_list(_type="pubsub"):
                if client["name"] == ours:
                    admin.client_kill_filter(_id=client["id"])
            await seen.wait_for(lambda calls: bool(calls))
            assert hub.subscribed.is_set()
            return seen.topics_for("tab")

    try:
        assert run_async(scenario()) == {mine, "admin"}
    finally:
        admin.close()


def test_another_workers_logout_empties_this_workers_actor_cache(session, redis_url: str) -> None:  # noqa: ANN001
    """A tab's next event on worker A must not be answered from A's cache after the user logged
    out on worker B: B's commit reaches A only through Redis. Until A's subscription is live the
    cache is off, so nothing read before then is trusted either."""
    from hsa.services import accounts, sessions
    from hsa.services.actor_cache import ACTORS
    from tests.factories import token_for

    user = make_user(session)
    token = token_for(session, user)
    key = sessions.hash_token(token)

    async def scenario() -> tuple[bool, bool, bool]:
        hub = CountingHub()
        async with hub.running(None, Deliveries(), redis_url=redis_url):
            cached_before_subscribed = (await asyncio.to_thread(_resolve, token)) and ACTORS.get(key) is not None
            await asyncio.wait_for(hub.subscribed.wait(), 10)
            await asyncio.to_thread(_resolve, token)
            cached = ACTORS.get(key) is not None
            # worker B: the logout is committed elsewhere; here only its Redis message arrives
            await asyncio.to_thread(_logout_elsewhere, token)
            deadline = asyncio.get_running_loop().time() + 10
            while ACTORS.get(key) is not None and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.01)
            return cached_before_subscribed, cached, ACTORS.get(key) is None

    def _resolve(tok: str) -> bool:
        with session_scope(readonly=True) as s:
            return sessions.resolve_actor(session=s, token=tok) is not None

    def _logout_elsewhere(tok: str) -> None:
        in_process = list(changes._publishers)
        changes._publishers[:] = [p for p in in_process if isinstance(p, changes.RedisPublisher)]
        try:  # as another process would: its commit is published to Redis, never handed over in-process
            with session_scope() as s:
                accounts.logout(session=s, token=tok)
        finally:
            changes._publishers[:] = in_process

    before_subscribed, cached, emptied = run_async(scenario())
    assert not before_subscribed
    assert cached
    assert emptied
    with session_scope(readonly=True) as s:
        assert sessions.resolve_actor(session=s, token=token) is None
