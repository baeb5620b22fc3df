"""One verified mobile number, one live account: checked by the services, enforced by the database.

Numbers are compared in E.164 form (the schemas normalise "98765 43210" and "+91 98765-43210"
alike). A number belongs to the account that proved it by SMS code (issue #17): an unproven
sign-up may type any number and blocks nobody. Deleted accounts give their number up; blocked
ones keep it (a blocked fraudster must not come back under the same number).
"""

from __future__ import annotations

import re
from pathlib import Path

import phonenumbers
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from hsa.models import AuthSession, Role, User, UserStatus
from hsa.services import accounts, admin, demo_data, verification
from hsa.services.errors import ValidationFailed
from tests.factories import actor_for, make_user

VALID = {
    "full_name": "Asha Rao",
    "email": "asha.rao@example.com",
    "phone": "98765 43210",
    "password": "Sup3r-Secret-Fig",
    "address": "12, 4th Cross, Koramangala",
    "pincode": "560034",
}
TAKEN = "+919876543210"


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _holder(session: Session, status: UserStatus = UserStatus.active) -> User:
    user = make_user(session, status=status, email="first@example.com")
    user.phone = TAKEN
    session.add(user)
    session.commit()
    return user


@pytest.mark.parametrize("typed", ["98765 43210", "+91 98765-43210", "098765 43210"])
@pytest.mark.parametrize("status", [UserStatus.active, UserStatus.blocked])
def test_sign_up_with_a_proven_number_is_allowed_but_cannot_prove_it(session: Session, typed: str,
                                                                     status: UserStatus) -> None:
    _holder(session, status)
    accounts.register_customer(session=session, actor=None, data=dict(VALID, phone=typed))
    newcomer = session.exec(select(User).where(User.email == VALID["email"])).one()
    assert newcomer.phone == TAKEN and newcomer.phone_verified_at is None
    with pytest.raises(ValidationFailed) as exc:
        verification.send_code(session=session, actor=actor_for(session, newcomer))
    assert exc.value.fields == {"code": verification.PHONE_TAKEN}


def test_profile_edit_refuses_someone_elses_proven_number_but_keeps_ones_own(session: Session) -> None:
    _holder(session)
    me = make_user(session, full_name="Me Myself")
    actor = actor_for(session, me)
    edit = {"full_name": "Me Myself", "phone": "98765 43210", "address": "22 New Road", "pincode": "110001"}
    with pytest.raises(ValidationFailed) as exc:
        accounts.update_profile(session=session, actor=actor, data=edit)
    assert exc.value.fields == {"phone": accounts.PHONE_TAKEN}
    session.expire_all()
    assert session.get(User, me.id).pincode == "560034"  # type: ignore[union-attr] - nothing written
    own = session.get(User, me.id).phone  # type: ignore[union-attr]
    view = accounts.update_profile(session=session, actor=actor, data=dict(edit, phone=own))
    assert view.phone == own and view.pincode == "110001"
    assert session.get(User, me.id).phone_verified_at is not None  # type: ignore[union-attr] - same number


def test_a_new_number_in_the_profile_must_be_proven_again(session: Session) -> None:
    me = make_user(session)
    actor = actor_for(session, me)
    accounts.update_profile(session=session, actor=actor, data={
        "full_name": "Me Myself", "phone": "98765 40000", "address": "22 New Road", "pincode": "110001"})
    session.expire_all()
    user = session.get(User, me.id)
    assert user is not None and user.phone == "+919876540000" and user.phone_verified_at is None
    assert not actor_for(session, user).verified


def test_a_deleted_account_gives_its_number_up(session: Session) -> None:
    old = _holder(session)
    boss = actor_for(session, make_user(session, role=Role.admin))
    admin.delete_user(session=session, actor=boss, user_id=old.id, reason="Asked to be forgotten")
    session.expire_all()
    assert session.get(User, old.id).phone != TAKEN  # type: ignore[union-attr]
    me = make_user(session, email="second@example.com")
    accounts.update_profile(session=session, actor=actor_for(session, me), data={
        "full_name": "Me Myself", "phone": TAKEN, "address": "22 New Road", "pincode": "110001"})
    assert session.get(User, me.id).phone == TAKEN  # type: ignore[union-attr]


def test_create_admin_refuses_a_taken_number(session: Session) -> None:
    _holder(session)
    with pytest.raises(ValidationFailed) as exc:
        accounts.create_admin(session=session, email="ops@example.com", full_name="Ops Admin",
                              password="Sup3r-Secret-Fig", phone=TAKEN)
    assert exc.value.fields == {"phone": accounts.PHONE_TAKEN}


def test_the_database_enforces_it_among_live_proven_numbers_only(session: Session) -> None:
    _holder(session)
    insert = ("INSERT INTO users (email, full_name, phone, password_hash, role, status, address, pincode, "
              "failed_login_count, created_at, updated_at, phone_verified_at) VALUES (:email, 'n', :phone, 'h', "
              "'customer', :status, '', '560034', 0, '2026-01-01', '2026-01-01', :proven)")
    for status in ("active", "blocked"):
        with pytest.raises(IntegrityError):
            session.exec(text(insert), params={"email": f"{status}@example.com", "phone": TAKEN,  # type: ignore[call-overload]
                                               "status": status, "proven": "2026-01-02"})
        session.rollback()
    for n in (1, 2):  # any number of deleted accounts, and of unproven claims, may share it
        for status, proven in (("deleted", "2026-01-02"), ("active", None)):
            session.exec(text(insert), params={"email": f"{status}{n}@example.com", "phone": TAKEN,  # type: ignore[call-overload]
                                               "status": status, "proven": proven})
    session.commit()


def test_a_race_past_the_check_becomes_the_same_answer(session: Session, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Two accounts prove one number at the same moment: the unique index refuses the second."""
    monkeypatch.setenv("HSA_DATA_DIR", str(tmp_path))
    _holder(session)
    monkeypatch.setattr(verification, "phone_taken", lambda *_a, **_k: False)  # both passed the check
    newcomer = make_user(session, verified=False)
    newcomer.phone = TAKEN
    session.add(newcomer)
    session.commit()
    actor = actor_for(session, newcomer)
    verification.send_code(session=session, actor=actor)
    [text] = (tmp_path / "sms-outbox").glob("*.txt")
    code = re.search(r"\b(\d{6})\b", text.read_text()).group(1)  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed) as exc:
        verification.confirm_code(session=session, actor=actor, data={"code": code})
    assert exc.value.fields == {"code": accounts.PHONE_TAKEN}
    session.expire_all()
    assert session.get(User, newcomer.id).phone_verified_at is None  # type: ignore[union-attr]


def test_an_email_race_gets_the_same_neutral_answer(session: Session,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    make_user(session, email=VALID["email"])
    monkeypatch.setattr(accounts, "_email_taken", lambda *_a, **_k: False)
    result = accounts.register_customer(session=session, actor=None, data=dict(VALID))
    assert result.message == accounts.SENT.format(email=VALID["email"])
    assert _count(session, User) == 1 and _count(session, AuthSession) == 0


def test_demo_numbers_are_stored_normalised_and_distinct() -> None:
    phones = [u.phone for u in demo_data.USERS]
    assert len(set(phones)) == len(phones)
    for phone in phones:
        assert phonenumbers.format_number(phonenumbers.parse(phone, "IN"),
                                          phonenumbers.PhoneNumberFormat.E164) == phone
