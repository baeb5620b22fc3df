"""Proving an email (mailed link) and a mobile number (SMS code); booking and accepting need both."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from hsa.models import AccountToken, AuthSession, PhoneCode, RequestStatus, Role, ServiceRequest, User, utcnow
from hsa.services import accounts, bookings, verification
from hsa.services.errors import DomainError, Forbidden, InvalidTransition, ValidationFailed
from hsa.services.sessions import resolve_actor
from tests.factories import actor_for, mailed, make_request, make_service, make_user, slot

VALID = {"full_name": "Nisha Kapoor", "email": "nisha@example.com", "phone": "98111 22233",
         "password": "Mango-Kite-Rain-7", "address": "14, Park Street", "pincode": "560034"}


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path))
    return tmp_path


def _link_token(folder: Path, to: str) -> str:
    return re.search(r"/verify-email\?token=(\S+)", mailed(folder, to)[-1]).group(1)  # type: ignore[union-attr]


def _code(folder: Path) -> str:
    texts = sorted((folder / "sms-outbox").glob("*.txt"))
    return re.search(r"\b(\d{6})\b", texts[-1].read_text()).group(1)  # type: ignore[union-attr]


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_mailed_link_proves_the_email_signs_in_and_works_once(session: Session, data: Path) -> None:
    accounts.register_customer(session=session, actor=None, data=dict(VALID))
    token = _link_token(data, "nisha@example.com")
    for _ in range(2):  # looking (the page, a mail scanner) spends nothing
        assert verification.email_link_is_open(session=session, token=token)
    assert not verification.email_link_is_open(session=session, token=token + "x")
    result = verification.confirm_email(session=session, token=token, device="Mozilla/5.0 (Linux; Android 14) "
                                        "AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36")
    user = session.exec(select(User).where(User.email == "nisha@example.com")).one()
    assert user.email_verified_at is not None and user.phone_verified_at is None
    actor = resolve_actor(session=session, token=result.token)
    assert actor is not None and actor.id == user.id and not actor.verified
    assert session.exec(select(AuthSession.device)).one() == "Chrome on Android"
    with pytest.raises(DomainError, match="not valid any more"):
        verification.confirm_email(session=session, token=token)
    assert not verification.email_link_is_open(session=session, token=token)
    assert _count(session, AuthSession) == 1


def test_a_link_stops_working_after_a_day_after_a_newer_one_or_an_email_change(session: Session, data: Path) -> None:
    accounts.register_customer(session=session, actor=None, data=dict(VALID))
    first = _link_token(data, "nisha@example.com")
    with pytest.raises(DomainError):
        verification.confirm_email(session=session, token=first, now=utcnow() + timedelta(hours=24, seconds=1))
    user = session.exec(select(User).where(User.email == "nisha@example.com")).one()
    verification.mail_link(session, user)  # "send it again": the first no longer works
    session.commit()
    second = _link_token(data, "nisha@example.com")
    assert second != first
    with pytest.raises(DomainError):
        verification.confirm_email(session=session, token=first)
    user.email = "nisha.new@example.com"
    session.add(user)
    session.commit()
    with pytest.raises(DomainError):
        verification.confirm_email(session=session, token=second)
    for junk in ("", "x" * 500, "not-a-token"):
        with pytest.raises(DomainError):
            verification.confirm_email(session=session, token=junk)
    assert session.get(User, user.id).email_verified_at is None  # type: ignore[union-attr]


def test_send_again_is_throttled_per_account(session: Session, data: Path) -> None:
    user = make_user(session, verified=False)
    actor = actor_for(session, user)
    assert "We sent a new link" in verification.send_email_link(session=session, actor=actor)
    with pytest.raises(ValidationFailed) as exc:
        verification.send_email_link(session=session, actor=actor)
    assert "ask again in" in exc.value.fields["email"]
    assert _count(session, AccountToken) == 1


def test_the_sms_code_proves_the_number(session: Session, data: Path) -> None:
    user = make_user(session, verified=False)
    actor = actor_for(session, user)
    said = verification.send_code(session=session, actor=actor)
    assert said.startswith("We sent a 6-digit code to +91 ••••••")
    assert verification.status(session=session, actor=actor).code_sent
    stored = session.exec(select(PhoneCode)).one()
    code = _code(data)
    assert code not in stored.code_hash and len(stored.code_hash) == 64  # only a keyed hash is kept
    assert verification.confirm_code(session=session, actor=actor, data={"code": f" {code[:3]} {code[3:]} "}) \
        == "Your mobile number is verified."
    session.expire_all()
    assert session.get(User, user.id).phone_verified_at is not None  # type: ignore[union-attr]
    assert verification.confirm_code(session=session, actor=actor, data={"code": code}) \
        == "Your mobile number is already verified."  # safe to repeat (a double click)


def test_five_wrong_codes_use_it_up_and_an_old_code_expires(session: Session, data: Path) -> None:
    user = make_user(session, verified=False)
    actor = actor_for(session, user)
    verification.send_code(session=session, actor=actor)
    code = _code(data)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    messages = []
    for _ in range(verification.CODE_TRIES):
        with pytest.raises(ValidationFailed) as exc:
            verification.confirm_code(session=session, actor=actor, data={"code": wrong})
        messages.append(exc.value.fields["code"])
    assert messages[0] == "That code is not right. 4 tries left." and messages[-2].endswith("1 try left.")
    with pytest.raises(ValidationFailed, match="") as exc:
        verification.confirm_code(session=session, actor=actor, data={"code": code})  # right, but too late
    assert exc.value.fields["code"] == "Too many wrong codes. Ask for a new one."
    with pytest.raises(ValidationFailed) as exc:
        verification.confirm_code(session=session, actor=actor, data={"code": "12345"})
    assert exc.value.fields["code"] == "Enter the 6-digit code from the text message."
    session.expire_all()
    assert session.get(User, user.id).phone_verified_at is None  # type: ignore[union-attr]


def test_an_expired_code_and_the_resend_throttle(session: Session, data: Path) -> None:
    user = make_user(session, verified=False)
    actor = actor_for(session, user)
    verification.send_code(session=session, actor=actor, now=utcnow() - timedelta(minutes=11))
    code = _code(data)
    with pytest.raises(ValidationFailed) as exc:
        verification.confirm_code(session=session, actor=actor, data={"code": code})
    assert exc.value.fields["code"] == "This code has expired. Ask for a new one."
    with pytest.raises(ValidationFailed) as exc:  # one code a minute
        verification.send_code(session=session, actor=actor)
    assert "another code in" in exc.value.fields["code"]


def test_a_number_proven_by_another_account_is_refused(session: Session, data: Path) -> None:
    holder = make_user(session)
    newcomer = make_user(session, verified=False)
    newcomer.phone = holder.phone
    session.add(newcomer)
    session.commit()
    with pytest.raises(ValidationFailed) as exc:
        verification.send_code(session=session, actor=actor_for(session, newcomer))
    assert exc.value.fields["code"] == verification.PHONE_TAKEN
    assert _count(session, PhoneCode) == 0


def test_unverified_people_browse_but_cannot_book_or_accept(session: Session, data: Path) -> None:
    service = make_service(session)
    customer = make_user(session, verified=False)
    form = {"service_id": service.id, "day": (slot(2)).date().isoformat(), "time": "10:00",
            "address": "12, 4th Cross, Koramangala", "pincode": "560034"}
    with pytest.raises(Forbidden, match="Confirm your email address and mobile number before you book"):
        bookings.create_request(session=session, actor=actor_for(session, customer), data=form)
    assert _count(session, ServiceRequest) == 0
    pro = make_user(session, role=Role.professional, service=service, verified=False)
    from hsa.models import ProfessionalProfile
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == pro.id)).one()
    profile.is_available = True
    session.add(profile)
    session.commit()
    req = make_request(session, customer=make_user(session), service=service)
    pro_actor = actor_for(session, pro)
    view = bookings.get_request(session=session, actor=pro_actor, request_id=req.id)
    assert "accept" in view.actions  # the button stays, and the refusal says what to do
    with pytest.raises(InvalidTransition, match="before you accept jobs"):
        bookings.transition(session=session, actor=pro_actor, request_id=req.id, action="accept")
    session.expire_all()
    assert session.get(ServiceRequest, req.id).status is RequestStatus.requested  # type: ignore[union-attr]


def test_the_daily_clean_up_removes_expired_links_codes_and_texts(session: Session, data: Path) -> None:
    from hsa.services import reminders

    user = make_user(session, verified=False)
    verification.mail_link(session, user)
    session.commit()
    verification.send_code(session=session, actor=actor_for(session, user))
    assert _count(session, AccountToken) == 1 and _count(session, PhoneCode) == 1
    assert reminders.prune_expired(session=session, now=utcnow()) is True  # fresh ones stay
    assert _count(session, AccountToken) == 1 and _count(session, PhoneCode) == 1
    import os
    for text in (data / "sms-outbox").glob("*.txt"):
        stamp = (utcnow() - timedelta(days=2)).timestamp()
        os.utime(text, (stamp, stamp))
    assert reminders.prune_expired(session=session, now=utcnow() + timedelta(days=3)) is True
    assert _count(session, AccountToken) == 0 and _count(session, PhoneCode) == 0
    assert list((data / "sms-outbox").glob("*.txt")) == []
