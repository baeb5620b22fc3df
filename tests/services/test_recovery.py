"""Forgot password: the same answer for every email, a single-use 30-minute link, every session ended."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from hsa.models import AccountToken, AuthSession, User, UserStatus, utcnow
from hsa.services import recovery, sessions, signin
from hsa.services.errors import ValidationFailed
from hsa.services.passwords import verify_password
from tests.factories import PASSWORD, mailed, make_user, small_ip_budget, token_for

NEW = "Fresh-Sturdy-77"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path))
    return tmp_path


def _mails(folder: Path) -> list[str]:
    return [m.read_text() for m in sorted((folder / "outbox").glob("*.eml"))]


def _token(folder: Path, to: str = "asha@example.com") -> str:
    return re.search(r"/reset-password\?token=(\S+)", mailed(folder, to)[-1]).group(1)  # type: ignore[union-attr]


def test_the_answer_is_the_same_whether_or_not_the_account_exists(session: Session, data: Path) -> None:
    make_user(session, email="asha@example.com")
    blocked = make_user(session, email="blocked@example.com", status=UserStatus.blocked)
    said = {email: recovery.request_reset(session=session, email=email)
            for email in ("ASHA@example.com ", "nobody@example.com", blocked.email)}
    assert {s.replace(e.strip().lower(), "<e>") for e, s in said.items()} == {recovery.ASKED.format(email="<e>")}
    assert len(_mails(data)) == 1 and "/reset-password?token=" in mailed(data, "asha@example.com")[0]
    with pytest.raises(ValidationFailed):
        recovery.request_reset(session=session, email="not an email")


def test_the_link_sets_a_new_password_ends_every_session_and_works_once(session: Session, data: Path) -> None:
    user = make_user(session, email="asha@example.com")
    phone, laptop = token_for(session, user), token_for(session, user)
    recovery.request_reset(session=session, email="asha@example.com")
    token = _token(data)
    assert token not in {r.token_hash for r in session.exec(select(AccountToken))}  # only its hash is stored
    result = recovery.reset_password(session=session, token=token, data={"new_password": NEW})
    session.expire_all()
    assert verify_password(NEW, session.get(User, user.id).password_hash)  # type: ignore[union-attr]
    assert sessions.resolve_actor(session=session, token=phone) is None
    assert sessions.resolve_actor(session=session, token=laptop) is None
    assert sessions.resolve_actor(session=session, token=result.token) is not None
    with pytest.raises(ValidationFailed) as exc:
        recovery.reset_password(session=session, token=token, data={"new_password": "Other-Sturdy-88"})
    assert "not valid any more" in exc.value.fields["token"]
    assert signin.login(session=session, email="asha@example.com", password=NEW).token


def test_a_refused_password_leaves_the_link_usable_and_nothing_changed(session: Session, data: Path) -> None:
    user = make_user(session, email="asha@example.com")
    old_hash = user.password_hash
    recovery.request_reset(session=session, email="asha@example.com")
    token = _token(data)
    for bad, field in (("password1", "new_password"), (PASSWORD, "new_password")):
        with pytest.raises(ValidationFailed) as exc:
            recovery.reset_password(session=session, token=token, data={"new_password": bad})
        assert field in exc.value.fields
    session.expire_all()
    assert session.get(User, user.id).password_hash == old_hash  # type: ignore[union-attr]
    assert recovery.link_is_open(session=session, token=token)
    recovery.reset_password(session=session, token=token, data={"new_password": NEW})


def test_links_expire_after_30_minutes_and_a_newer_one_voids_the_older(session: Session, data: Path) -> None:
    make_user(session, email="asha@example.com")
    recovery.request_reset(session=session, email="asha@example.com")
    first = _token(data)
    assert not recovery.link_is_open(session=session, token=first, now=utcnow() + timedelta(minutes=31))
    with pytest.raises(ValidationFailed):
        recovery.reset_password(session=session, token=first, data={"new_password": NEW},
                                now=utcnow() + timedelta(minutes=31))
    recovery.request_reset(session=session, email="asha@example.com")
    assert not recovery.link_is_open(session=session, token=first)
    assert recovery.link_is_open(session=session, token=_token(data))


def test_requests_are_throttled_per_inbox_silently_and_per_client(session: Session, data: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    make_user(session, email="asha@example.com")
    for _ in range(5):  # the inbox gets three mails; the person asking sees no difference
        said = recovery.request_reset(session=session, email="asha@example.com", client_ip=f"198.51.100.{_}")
        assert said == recovery.ASKED.format(email="asha@example.com")
    assert len(_mails(data)) == 3
    limit = small_ip_budget(monkeypatch, "HSA_RESET_REQUEST_LIMIT")
    for i in range(limit):
        recovery.request_reset(session=session, email=f"x{i}@example.com", client_ip="203.0.113.9")
    with pytest.raises(signin.Throttled, match="Too many reset requests"):
        recovery.request_reset(session=session, email="y@example.com", client_ip="203.0.113.9")
    assert session.exec(select(func.count()).select_from(AuthSession)).one() == 0
