"""Registration rules: valid sign-ups, every invalid field, duplicates, no half-written rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from hsa.models import ApprovalStatus, AuthSession, ProfessionalProfile, Role, User
from hsa.services import accounts, signin
from hsa.services.errors import ValidationFailed
from tests.factories import mailed, make_service, make_user, small_ip_budget

VALID = {
    "full_name": "Asha Rao",
    "email": "Asha.Rao@Example.com",
    "phone": "98765 43210",
    "password": "Sup3r-Secret-Fig",
    "address": "12, 4th Cross, Koramangala",
    "pincode": "560034",
}


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_customer_sign_up_creates_an_unverified_account_and_mails_its_link(
        session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path))
    result = accounts.register_customer(session=session, actor=None, data=dict(VALID))
    user = session.exec(select(User)).one()
    assert user.email == "asha.rao@example.com"  # normalised, so logins are case-insensitive
    assert user.phone == "+919876543210"
    assert user.role is Role.customer
    assert user.password_hash.startswith("$2b$12$")  # bcrypt, cost 12
    assert "Sup3r-Secret-Fig" not in user.password_hash
    assert user.email_verified_at is None and user.phone_verified_at is None and not user.verified
    assert result.message == accounts.SENT.format(email="asha.rao@example.com")
    assert _count(session, AuthSession) == 0  # signed in only by the link
    [mail] = mailed(tmp_path, "asha.rao@example.com")
    assert "/verify-email?token=" in mail


def test_professional_registration_is_pending(session: Session) -> None:
    service = make_service(session, name="Plumbing")
    data = dict(VALID, service_id=service.id, experience_years=4, bio="Fixes leaks")
    accounts.register_professional(session=session, actor=None, data=data)
    user = session.exec(select(User)).one()
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user.id)).one()
    assert profile.approval_status is ApprovalStatus.pending
    assert profile.service_id == service.id and profile.experience_years == 4
    assert user.role is Role.professional and not user.verified


BAD_FIELDS = [
    ("full_name", "A", "Enter your full name."),
    ("email", "not-an-email", "Enter a valid email address"),
    ("phone", "12345", "Enter a valid Indian mobile number"),
    ("phone", "+1 415 555 2671", "Enter a valid Indian mobile number"),
    ("password", "short7!", "at least 8 characters"),
    ("password", "é" * 37, "at most 72 bytes"),  # 37 characters but 74 bytes: bcrypt would truncate
    ("address", "x", "Enter your full address"),
    ("address", "x" * 301, "too long"),
    ("pincode", "999999", "valid 6-digit Indian pincode"),
    ("pincode", "56003", "valid 6-digit Indian pincode"),
    ("pincode", "abcdef", "valid 6-digit Indian pincode"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_FIELDS, ids=[f"{f}={v[:12]!r}" for f, v, _ in BAD_FIELDS])
def test_bad_input_is_refused_with_field_message_and_nothing_written(
    session: Session, field: str, value: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        accounts.register_customer(session=session, actor=None, data=dict(VALID, **{field: value}))
    assert message in exc.value.fields[field]
    assert _count(session, User) == 0
    assert _count(session, AuthSession) == 0


def test_missing_fields_are_each_reported(session: Session) -> None:
    with pytest.raises(ValidationFailed) as exc:
        accounts.register_customer(session=session, actor=None, data={})
    assert set(exc.value.fields) == set(VALID)
    assert all(m == "This field is required." for m in exc.value.fields.values())


def test_sign_up_does_not_say_whether_an_email_or_number_is_registered(
        session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Taken email (any case), taken number, both or neither: one answer; only a new email gets an
    account, and the owner of a taken one is told by mail instead of the person signing up."""
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path))
    holder = make_user(session, email="taken@example.com")
    holder.phone = "+919876500001"
    session.add(holder)
    session.commit()
    answers = set()
    for email, phone in (("taken@example.com", "98765 00009"), ("TAKEN@example.com", "98765 00001"),
                         ("free@example.com", "98765 00001")):
        result = accounts.register_customer(session=session, actor=None, data=dict(VALID, email=email, phone=phone))
        answers.add(result.message.replace(email.lower(), "<email>"))
    assert len(answers) == 1 and "already" not in answers.pop()
    emails = sorted(session.exec(select(User.email)).all())
    assert emails == ["free@example.com", "taken@example.com"]
    free = session.exec(select(User).where(User.email == "free@example.com")).one()
    assert free.phone == holder.phone and free.phone_verified_at is None  # an unproven claim blocks nobody
    assert sum("tried to create a HomeServe account" in m for m in mailed(tmp_path, "taken@example.com")) == 2
    assert ["/verify-email?token=" in m for m in mailed(tmp_path, "free@example.com")] == [True]


@pytest.mark.parametrize("weak", ["password", "12345678", "aaaaaaaa", "qwertyuiop", "Password1", "asharao12"])
def test_weak_passwords_are_refused_beside_the_field(session: Session, weak: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        accounts.register_customer(session=session, actor=None, data=dict(VALID, password=weak))
    assert set(exc.value.fields) == {"password"}
    assert exc.value.fields["password"].startswith("This password is too easy to guess.")
    assert _count(session, User) == 0


def test_sign_ups_from_one_address_are_budgeted(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = small_ip_budget(monkeypatch, "HSA_SIGNUP_IP_LIMIT")
    for i in range(limit):
        with pytest.raises(ValidationFailed):  # invalid on purpose: each still spends the budget, unhashed
            accounts.register_customer(session=session, actor=None, data={"email": f"x{i}"}, client_ip="198.51.100.3")
    with pytest.raises(signin.Throttled, match="Too many sign-ups from your network"):
        accounts.register_customer(session=session, actor=None, data=dict(VALID), client_ip="198.51.100.3")
    accounts.register_customer(session=session, actor=None, data=dict(VALID), client_ip="198.51.100.4")
    assert _count(session, User) == 1


def test_role_cannot_be_smuggled_into_registration(session: Session) -> None:
    with pytest.raises(ValidationFailed) as exc:
        accounts.register_customer(session=session, actor=None, data=dict(VALID, role="admin"))
    assert exc.value.fields == {"role": "Unexpected field."}
    assert _count(session, User) == 0


@pytest.mark.parametrize("service_id", [0, 9999, "inactive"])
def test_professional_needs_an_active_catalog_service(session: Session, service_id: object) -> None:
    if service_id == "inactive":
        service_id = make_service(session, active=False).id
    data = dict(VALID, service_id=service_id, experience_years=2)
    with pytest.raises(ValidationFailed) as exc:
        accounts.register_professional(session=session, actor=None, data=data)
    assert "service_id" in exc.value.fields
    assert _count(session, User) == 0 and _count(session, ProfessionalProfile) == 0


@pytest.mark.parametrize("years", [-1, 61, "ten"])
def test_professional_experience_must_be_sane(session: Session, years: object) -> None:
    service = make_service(session)
    with pytest.raises(ValidationFailed) as exc:
        accounts.register_professional(session=session, actor=None,
                                       data=dict(VALID, service_id=service.id, experience_years=years))
    assert "experience_years" in exc.value.fields
    assert _count(session, User) == 0
