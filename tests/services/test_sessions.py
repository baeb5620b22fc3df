"""Server-side sessions: hashed storage, idle and absolute expiry, revocation on every trigger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from hsa.models import AuthSession, UserStatus, utcnow
from hsa.services import accounts, sessions, signin
from hsa.services.errors import ValidationFailed
from hsa.settings import get_settings
from tests.factories import PASSWORD, make_user, token_for


def test_only_the_token_hash_is_stored(session: Session) -> None:
    user = make_user(session)
    token = token_for(session, user)
    stored = session.exec(select(AuthSession.token_hash)).all()
    assert token not in stored
    assert stored == [sessions.hash_token(token)]


@pytest.mark.parametrize("token", [None, "", "garbage", "x" * 500])
def test_missing_or_unknown_tokens_resolve_to_nobody(session: Session, token: str | None) -> None:
    make_user(session)
    assert sessions.resolve_actor(session=session, token=token) is None


def test_idle_timeout_ends_the_session(session: Session) -> None:
    user = make_user(session)
    token = token_for(session, user)
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    now = utcnow()
    assert sessions.resolve_actor(session=session, token=token, now=now + idle - timedelta(minutes=1)) is not None
    # activity moved last_seen forward, so the idle window restarts from there
    later = now + idle - timedelta(minutes=1) + idle + timedelta(seconds=1)
    assert sessions.resolve_actor(session=session, token=token, now=later) is None
    row = session.exec(select(AuthSession)).one()
    assert row.revoked_at is not None  # an idle session is revoked, not just ignored


def test_absolute_expiry_ends_even_an_active_session(session: Session) -> None:
    user = make_user(session)
    token = token_for(session, user)
    start = utcnow()
    step = timedelta(minutes=get_settings().session_idle_minutes // 2)
    t = start
    max_age = timedelta(hours=get_settings().session_max_hours)
    while t + step < start + max_age:
        t += step
        assert sessions.resolve_actor(session=session, token=token, now=t) is not None
    assert sessions.resolve_actor(session=session, token=token, now=start + max_age + timedelta(seconds=1)) is None


def test_logout_revokes_only_this_session(session: Session) -> None:
    user = make_user(session)
    phone, laptop = token_for(session, user), token_for(session, user)
    accounts.logout(session=session, token=phone)
    assert sessions.resolve_actor(session=session, token=phone) is None
    assert sessions.resolve_actor(session=session, token=laptop) is not None


def test_password_change_revokes_every_session_and_issues_a_new_one(session: Session) -> None:
    user = make_user(session)
    phone, laptop = token_for(session, user), token_for(session, user)
    actor = sessions.resolve_actor(session=session, token=phone)
    new_token = accounts.change_password(session=session, actor=actor,
                                         data={"current_password": PASSWORD, "new_password": "BrandNew123"})
    assert sessions.resolve_actor(session=session, token=phone) is None
    assert sessions.resolve_actor(session=session, token=laptop) is None
    assert sessions.resolve_actor(session=session, token=new_token) is not None
    assert signin.login(session=session, email=user.email, password="BrandNew123").user_id == user.id


def test_password_change_needs_the_current_password(session: Session) -> None:
    user = make_user(session)
    token = token_for(session, user)
    actor = sessions.resolve_actor(session=session, token=token)
    with pytest.raises(ValidationFailed) as exc:
        accounts.change_password(session=session, actor=actor,
                                 data={"current_password": "WrongPass1", "new_password": "BrandNew123"})
    assert exc.value.fields == {"current_password": "Your current password is not correct."}
    assert sessions.resolve_actor(session=session, token=token) is not None  # nothing changed
    assert signin.login(session=session, email=user.email, password=PASSWORD).user_id == user.id


@pytest.mark.parametrize("status", [UserStatus.blocked, UserStatus.deleted])
def test_blocked_or_deleted_user_is_signed_out_on_next_event(session: Session, status: UserStatus) -> None:
    user = make_user(session)
    token = token_for(session, user)
    user.status = status
    session.add(user)
    session.commit()
    assert sessions.resolve_actor(session=session, token=token) is None


def test_revoke_all_counts_live_sessions(session: Session) -> None:
    user = make_user(session)
    for _ in range(3):
        token_for(session, user)
    assert sessions.revoke_all(session=session, user_id=user.id) == 3
    session.commit()
    assert sessions.revoke_all(session=session, user_id=user.id) == 0
