"""The actor cache answers repeated events without the database, and every revocation still
takes effect on the very next event: logout, password change, block, delete, approval change."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from hsa.db import get_engine
from hsa.models import ApprovalStatus, ProfessionalProfile, Role, utcnow
from hsa.services import accounts, admin, sessions
from hsa.services.actor_cache import ACTORS, TTL_SECONDS, ActorCache, Entry
from hsa.services.actors import Actor
from tests.factories import PASSWORD, actor_for, make_service, make_user, token_for


@pytest.fixture
def queries() -> Iterator[list[str]]:
    """Every SQL statement sent to the database while the test runs."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        seen.append(statement)

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_a_second_event_with_the_same_token_sends_no_query(session: Session, queries: list[str]) -> None:
    user = make_user(session)
    token = token_for(session, user)
    first = sessions.resolve_actor(session=session, token=token)
    queries.clear()
    again = sessions.resolve_actor(session=session, token=token)
    assert again == first and again is not None
    assert queries == []


@pytest.mark.parametrize("revoke", ["logout", "password", "block", "delete"])
def test_every_revocation_reaches_the_next_event(session: Session, revoke: str) -> None:
    user = make_user(session)
    boss = actor_for(session, make_user(session, role=Role.admin))
    token = token_for(session, user)
    actor = sessions.resolve_actor(session=session, token=token)
    assert actor is not None and sessions.resolve_actor(session=session, token=token) == actor  # cached now
    if revoke == "logout":
        accounts.logout(session=session, token=token)
    elif revoke == "password":
        accounts.change_password(session=session, actor=actor,
                                 data={"current_password": PASSWORD, "new_password": "Brand-New-Fig-42"})
    elif revoke == "block":
        admin.block_user(session=session, actor=boss, user_id=user.id, reason="fraud reports")
    else:
        admin.delete_user(session=session, actor=boss, user_id=user.id, reason="asked to be forgotten")
    assert sessions.resolve_actor(session=session, token=token) is None


def test_an_approval_change_is_seen_by_the_next_event(session: Session) -> None:
    plumbing = make_service(session)
    pro = make_user(session, role=Role.professional, service=plumbing, approval=ApprovalStatus.pending)
    token = token_for(session, pro)
    assert sessions.resolve_actor(session=session, token=token).approval is ApprovalStatus.pending  # type: ignore[union-attr]
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.approval_status = ApprovalStatus.approved
    session.add(profile)
    session.commit()
    assert sessions.resolve_actor(session=session, token=token).approval is ApprovalStatus.approved  # type: ignore[union-attr]


def test_a_rolled_back_change_keeps_the_entry(session: Session, queries: list[str]) -> None:
    user = make_user(session)
    token = token_for(session, user)
    sessions.resolve_actor(session=session, token=token)
    user.full_name = "Not Saved"
    session.add(user)
    session.flush()
    session.rollback()
    queries.clear()
    assert sessions.resolve_actor(session=session, token=token) is not None
    assert queries == []


def test_entries_expire_after_the_ttl(session: Session, queries: list[str]) -> None:
    user = make_user(session)
    token = token_for(session, user)
    actor = sessions.resolve_actor(session=session, token=token)
    assert actor is not None
    key = sessions.hash_token(token)
    old = ACTORS.get(key)
    assert old is not None
    ACTORS.forget_users([user.id])
    ACTORS.put(key, Entry(actor, old.expires_at, old.last_seen_at, time.monotonic() - TTL_SECONDS - 1),
               since=ACTORS.snapshot())
    queries.clear()
    assert sessions.resolve_actor(session=session, token=token) == actor
    assert queries  # read again from the database


def _entry(user_id: int) -> Entry:
    now = utcnow()
    return Entry(Actor(id=user_id, role=Role.customer, full_name="A"), now, now, time.monotonic())


def test_a_read_that_began_before_a_revocation_is_not_stored() -> None:
    cache = ActorCache()
    since = cache.snapshot()            # a thread starts reading the session row ...
    cache.forget_topics({"auth:7"})     # ... another commits a logout of user 7 meanwhile ...
    cache.put("k", _entry(7), since=since)  # ... the first must not cache what it read
    assert cache.get("k") is None
    cache.put("k", _entry(7), since=cache.snapshot())
    assert cache.get("k") is not None
    cache.forget_topics({"user:8", "pool:3", "admin"})  # someone else, and topics that are not users
    assert cache.get("k") is not None


def test_an_untrusted_cache_answers_nothing() -> None:
    cache = ActorCache()
    cache.put("k", _entry(1), since=cache.snapshot())
    since = cache.snapshot()
    cache.trust(False)
    assert cache.get("k") is None
    cache.put("k", _entry(1), since=cache.snapshot())
    assert cache.get("k") is None
    cache.trust(True)
    cache.put("k", _entry(1), since=since)  # read while it was untrusted: could have missed a revocation
    assert cache.get("k") is None
