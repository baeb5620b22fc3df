"""Login: right, wrong, unknown, locked, blocked, deleted; uniform cost for failures."""

from __future__ import annotations

from datetime import timedelta

import bcrypt
import pytest
from sqlmodel import Session

from hsa.models import Role, UserStatus, utcnow
from hsa.services import accounts
from hsa.services.errors import AuthFailed
from hsa.services.passwords import hash_password
from hsa.services.sessions import resolve_actor
from tests.factories import PASSWORD, make_user

GENERIC = "Incorrect email or password."


def test_right_password_logs_in_with_a_fresh_token(session: Session) -> None:
    user = make_user(session, email="ravi@example.com", role=Role.professional)
    first = accounts.login(session=session, email="RAVI@example.com ", password=PASSWORD)
    second = accounts.login(session=session, email="ravi@example.com", password=PASSWORD)
    assert first.token != second.token and len(first.token) >= 43  # 32 random bytes, urlsafe
    assert first.role == "professional" and first.user_id == user.id
    assert resolve_actor(session=session, token=first.token) is not None


def test_wrong_password_and_unknown_email_look_identical(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    make_user(session, email="asha@example.com")
    calls: list[str] = []
    real = bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        calls.append(hashed.decode()[:7])  # "$2b$12$": same algorithm and cost on both paths
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)
    messages = []
    for email in ("asha@example.com", "nobody@example.com"):
        with pytest.raises(AuthFailed) as exc:
            accounts.login(session=session, email=email, password="WrongPass1")
        messages.append(exc.value.message)
    assert messages == [GENERIC, GENERIC]
    assert calls == ["$2b$12$", "$2b$12$"]


def test_five_failures_lock_the_account_for_fifteen_minutes(session: Session) -> None:
    user = make_user(session, email="asha@example.com")
    now = utcnow()
    for _ in range(4):
        with pytest.raises(AuthFailed, match=GENERIC):
            accounts.login(session=session, email=user.email, password="WrongPass1", now=now)
    with pytest.raises(AuthFailed, match="locked for 15 minutes"):
        accounts.login(session=session, email=user.email, password="WrongPass1", now=now)
    # Even the right password is refused while locked, with a message that says so.
    with pytest.raises(AuthFailed, match="locked. Try again in 15 minutes"):
        accounts.login(session=session, email=user.email, password=PASSWORD, now=now + timedelta(seconds=5))
    almost = now + timedelta(minutes=14, seconds=30)
    with pytest.raises(AuthFailed, match="Try again in 1 minute[.]"):
        accounts.login(session=session, email=user.email, password=PASSWORD, now=almost)
    after = now + timedelta(minutes=15, seconds=1)
    result = accounts.login(session=session, email=user.email, password=PASSWORD, now=after)
    assert result.user_id == user.id
    session.refresh(user)
    assert user.failed_login_count == 0 and user.locked_until is None


def test_success_resets_the_failure_counter(session: Session) -> None:
    user = make_user(session)
    for _ in range(4):
        with pytest.raises(AuthFailed):
            accounts.login(session=session, email=user.email, password="WrongPass1")
    accounts.login(session=session, email=user.email, password=PASSWORD)
    with pytest.raises(AuthFailed, match=GENERIC):  # counter restarted: a 5th failure does not lock
        accounts.login(session=session, email=user.email, password="WrongPass1")
    session.refresh(user)
    assert user.locked_until is None and user.failed_login_count == 1


def test_blocked_user_cannot_log_in(session: Session) -> None:
    user = make_user(session, status=UserStatus.blocked)
    with pytest.raises(AuthFailed, match="blocked"):
        accounts.login(session=session, email=user.email, password=PASSWORD)
    with pytest.raises(AuthFailed, match=GENERIC):  # wrong password reveals nothing about the block
        accounts.login(session=session, email=user.email, password="WrongPass1")


def test_deleted_user_is_treated_as_unknown(session: Session) -> None:
    user = make_user(session, status=UserStatus.deleted)
    with pytest.raises(AuthFailed, match=GENERIC):
        accounts.login(session=session, email=user.email, password=PASSWORD)


def test_password_longer_than_72_bytes_is_not_truncated_into_a_match(session: Session) -> None:
    user = make_user(session)
    user.password_hash = hash_password("a" * 72)
    session.add(user)
    session.commit()
    with pytest.raises(AuthFailed, match=GENERIC):  # plain bcrypt would ignore the 73rd byte and accept
        accounts.login(session=session, email=user.email, password="a" * 72 + "b")
    assert accounts.login(session=session, email=user.email, password="a" * 72).user_id == user.id
