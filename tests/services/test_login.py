"""Login: right, wrong, unknown, slowed, trusted devices, blocked, deleted; uniform cost for failures."""

from __future__ import annotations

import re

import bcrypt
import pytest
from sqlmodel import Session, select

from hsa.models import AuditLog, Role, UserStatus
from hsa.services import signin, throttle
from hsa.services.errors import AuthFailed
from hsa.services.passwords import hash_password
from hsa.services.sessions import resolve_actor
from tests.factories import PASSWORD, make_user, small_ip_budget

GENERIC = "Incorrect email or password."


def test_right_password_logs_in_with_a_fresh_token(session: Session) -> None:
    user = make_user(session, email="ravi@example.com", role=Role.professional)
    first = signin.login(session=session, email="RAVI@example.com ", password=PASSWORD)
    second = signin.login(session=session, email="ravi@example.com", password=PASSWORD)
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
            signin.login(session=session, email=email, password="WrongPass1")
        messages.append(exc.value.message)
    assert messages == [GENERIC, GENERIC]
    assert calls == ["$2b$12$", "$2b$12$"]


def test_failures_slow_only_the_source_that_makes_them(session: Session) -> None:
    """Five wrong passwords from one address make that address wait; the owner elsewhere gets in."""
    user = make_user(session, email="asha@example.com")
    for _ in range(5):
        with pytest.raises(AuthFailed, match=GENERIC):
            signin.login(session=session, email=user.email, password="WrongPass1", client_ip="198.51.100.7")
    # a one-minute window: 59.2 s left reads "1 minute" (rounded up), 58 s "58 seconds"
    with pytest.raises(signin.Throttled, match=r"Try again in (\d+ seconds|1 minute)\b") as exc:
        signin.login(session=session, email=user.email, password=PASSWORD, client_ip="198.51.100.7")
    assert 1 <= exc.value.retry_after <= 60
    result = signin.login(session=session, email=user.email, password=PASSWORD, client_ip="203.0.113.5")
    assert result.user_id == user.id
    entry = session.exec(select(AuditLog).where(AuditLog.action == "user.login_throttled")).one()
    assert entry.target_id == user.id and "198.51.100.7" in entry.details


def test_a_slowed_source_costs_no_hashing(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(session)
    for _ in range(5):
        with pytest.raises(AuthFailed):
            signin.login(session=session, email=user.email, password="WrongPass1", client_ip="198.51.100.7")
    calls: list[int] = []
    real = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda *a: calls.append(1) or real(*a))
    for _ in range(20):
        with pytest.raises(signin.Throttled):
            signin.login(session=session, email=user.email, password="WrongPass1", client_ip="198.51.100.7")
    assert calls == []


def test_unknown_emails_are_slowed_exactly_like_real_ones(session: Session) -> None:
    """The budget is keyed by the typed email, so slowing down says nothing about an account existing."""
    make_user(session, email="real@example.com")
    outcomes = {}
    for email in ("real@example.com", "ghost@example.com"):
        seen = []
        for _ in range(6):
            try:
                signin.login(session=session, email=email, password="WrongPass1", client_ip="198.51.100.7")
            except signin.Throttled as exc:
                # the wait is read a moment later for the second email: 60 s may have become 59
                seen.append(re.sub(r"in (\d+ seconds?|1 minute)", "in N seconds", exc.message))
            except AuthFailed as exc:
                seen.append(exc.message)
        outcomes[email] = seen
    assert outcomes["real@example.com"] == outcomes["ghost@example.com"]
    assert outcomes["real@example.com"][-1].startswith("Too many failed attempts")


def test_waits_grow_with_repeated_failures(session: Session) -> None:
    windows = [str(item) for item in throttle.rates(signin.PAIR_FAILURES)]
    assert [w.split(" per ")[0] for w in windows] == ["5", "10", "20", "50"]
    seconds = [item.get_expiry() for item in throttle.rates(signin.PAIR_FAILURES)]
    assert seconds == sorted(seconds) and seconds[0] == 60 and seconds[-1] == 86400


def test_a_trusted_device_gets_in_while_the_account_is_under_attack(session: Session,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A spread-out attack uses up the account's untrusted budget; the owner's own browser still works."""
    monkeypatch.setattr(signin, "ACCOUNT_FAILURES", "4/day")  # 100 in production: 25 s of hashing here
    user = make_user(session, email="admin@example.com", role=Role.admin)
    first = signin.login(session=session, email=user.email, password=PASSWORD, client_ip="203.0.113.5")
    assert signin.trusted_device(first.device_token, user.id) is not None
    for i in range(signin_budget()):
        with pytest.raises(AuthFailed):
            signin.login(session=session, email=user.email, password=f"Guess-{i}", client_ip=f"10.1.0.{i}")
    with pytest.raises(signin.Throttled):  # a new address, a new browser: the account's budget is spent
        signin.login(session=session, email=user.email, password=PASSWORD, client_ip="192.0.2.44")
    again = signin.login(session=session, email=user.email, password=PASSWORD, client_ip="192.0.2.44",
                         device_token=first.device_token)
    assert again.user_id == user.id and again.device_token == first.device_token


def test_device_tokens_are_bound_to_their_account_and_signed(session: Session) -> None:
    one, two = make_user(session), make_user(session)
    token = signin.issue_device_token(one.id)
    assert signin.trusted_device(token, one.id) is not None
    assert signin.trusted_device(token, two.id) is None
    uid, nonce, sig = token.split(".")
    assert signin.trusted_device(f"{two.id}.{nonce}.{sig}", two.id) is None
    assert signin.trusted_device(f"{uid}.{nonce}x.{sig}", one.id) is None
    assert signin.trusted_device("", one.id) is None


def test_a_stolen_device_token_is_still_limited(session: Session) -> None:
    user = make_user(session)
    device = signin.issue_device_token(user.id)
    for _ in range(10):
        with pytest.raises(AuthFailed):
            signin.login(session=session, email=user.email, password="WrongPass1", device_token=device)
    with pytest.raises(signin.Throttled):
        signin.login(session=session, email=user.email, password=PASSWORD, device_token=device)


def test_each_address_has_an_attempt_budget_before_any_check(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(session)
    limit = small_ip_budget(monkeypatch, "HSA_LOGIN_IP_LIMIT")
    for i in range(limit):
        with pytest.raises(AuthFailed):
            signin.login(session=session, email=f"spray{i}@example.com", password="x", client_ip="198.51.100.9")
    with pytest.raises(signin.Throttled, match="from your network"):
        signin.login(session=session, email=user.email, password=PASSWORD, client_ip="198.51.100.9")
    assert signin.login(session=session, email=user.email, password=PASSWORD, client_ip="198.51.100.10")


def signin_budget() -> int:
    return int(str(throttle.rates(signin.ACCOUNT_FAILURES)[0]).split(" ")[0])


def test_success_clears_the_sources_failures(session: Session) -> None:
    user = make_user(session)
    for _ in range(4):
        with pytest.raises(AuthFailed):
            signin.login(session=session, email=user.email, password="WrongPass1", client_ip="198.51.100.7")
    signin.login(session=session, email=user.email, password=PASSWORD, client_ip="198.51.100.7")
    for _ in range(4):  # counter restarted: four more failures do not slow this source down
        with pytest.raises(AuthFailed, match=GENERIC):
            signin.login(session=session, email=user.email, password="WrongPass1", client_ip="198.51.100.7")


def test_blocked_user_cannot_log_in(session: Session) -> None:
    user = make_user(session, status=UserStatus.blocked)
    with pytest.raises(AuthFailed, match="blocked"):
        signin.login(session=session, email=user.email, password=PASSWORD)
    with pytest.raises(AuthFailed, match=GENERIC):  # wrong password reveals nothing about the block
        signin.login(session=session, email=user.email, password="WrongPass1")


def test_deleted_user_is_treated_as_unknown(session: Session) -> None:
    user = make_user(session, status=UserStatus.deleted)
    with pytest.raises(AuthFailed, match=GENERIC):
        signin.login(session=session, email=user.email, password=PASSWORD)


def test_password_longer_than_72_bytes_is_not_truncated_into_a_match(session: Session) -> None:
    user = make_user(session)
    user.password_hash = hash_password("a" * 72)
    session.add(user)
    session.commit()
    with pytest.raises(AuthFailed, match=GENERIC):  # plain bcrypt would ignore the 73rd byte and accept
        signin.login(session=session, email=user.email, password="a" * 72 + "b")
    assert signin.login(session=session, email=user.email, password="a" * 72).user_id == user.id
