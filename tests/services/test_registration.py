"""Registration rules: valid sign-ups, every invalid field, duplicates, no half-written rows."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from hsa.models import ApprovalStatus, AuthSession, ProfessionalProfile, Role, User
from hsa.services import accounts
from hsa.services.errors import ValidationFailed
from hsa.services.sessions import resolve_actor
from tests.factories import make_service, make_user

VALID = {
    "full_name": "Asha Rao",
    "email": "Asha.Rao@Example.com",
    "phone": "98765 43210",
    "password": "Sup3rSecret",
    "address": "12, 4th Cross, Koramangala",
    "pincode": "560034",
}


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_customer_registration_creates_account_and_logs_in(session: Session) -> None:
    result = accounts.register_customer(session=session, actor=None, data=dict(VALID))
    user = session.get(User, result.user_id)
    assert user is not None
    assert user.email == "asha.rao@example.com"  # normalised, so logins are case-insensitive
    assert user.phone == "+919876543210"
    assert user.role is Role.customer
    assert user.password_hash.startswith("$2b$12$")  # bcrypt, cost 12
    assert "Sup3rSecret" not in user.password_hash
    actor = resolve_actor(session=session, token=result.token)
    assert actor is not None and actor.id == user.id


def test_professional_registration_is_pending(session: Session) -> None:
    service = make_service(session, name="Plumbing")
    data = dict(VALID, service_id=service.id, experience_years=4, bio="Fixes leaks")
    result = accounts.register_professional(session=session, actor=None, data=data)
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == result.user_id)).one()
    assert profile.approval_status is ApprovalStatus.pending
    assert profile.service_id == service.id and profile.experience_years == 4
    actor = resolve_actor(session=session, token=result.token)
    assert actor is not None and actor.role is Role.professional and not actor.is_approved_professional


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


def test_duplicate_email_is_refused_case_insensitively(session: Session) -> None:
    make_user(session, email="asha.rao@example.com")
    with pytest.raises(ValidationFailed) as exc:
        accounts.register_customer(session=session, actor=None, data=dict(VALID))
    assert "already exists" in exc.value.fields["email"]
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
