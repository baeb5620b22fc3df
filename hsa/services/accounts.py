"""Registration, login, logout, password change and self-service profile edits."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from hsa import i18n
from hsa.i18n.text import msg
from hsa.models import (
    ProfessionalProfile,
    Role,
    Service,
    User,
    utcnow,
)
from hsa.services import audit, sessions, throttle, verification
from hsa.services.actors import Actor
from hsa.services.errors import NotFound, ValidationFailed
from hsa.services.languages import language_of
from hsa.services.mail import Email, mailer_from_settings
from hsa.services.mail_words import said_in
from hsa.services.passwords import hash_password, verify_password
from hsa.services.permissions import require_actor
from hsa.services.pincodes import locality
from hsa.services.scheduling import local_label
from hsa.services.schemas import (
    CustomerRegistration,
    PasswordChange,
    ProfessionalRegistration,
    ProfileUpdate,
    parse,
)
from hsa.services.signin import check_address
from hsa.services.views import ProfileView, SignupResult
from hsa.settings import get_settings

log = logging.getLogger(__name__)

# Sign-up never says whether an email is taken (issues #13, #17: no account enumeration): every
# sign-up is answered "we sent you a link". A new address gets the verification link; the owner of
# a taken one gets a "someone tried to sign up" mail instead. Numbers are not checked here: a number
# belongs to the account that proves it by SMS code (hsa.services.verification).
SENT = "We sent a link to {email}. Open it to confirm your address and sign in."
# The signed-in profile form may name the field: the person is known and the check is per account.
PHONE_TAKEN = verification.PHONE_TAKEN
SIGNUP_BUSY = "svc_account.signup_busy"  # catalog key; {wait}
# Someone at an unlocked, signed-in screen guessing the current password: slowed per account.
CHANGE_FAILURES = "5/15 minutes;20/day"


def _email_taken(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(User.email == email)).first() is not None


def _owner(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email)).first()


def _tell_owner(email: str, lang: str) -> None:
    """What sites do instead of saying 'this email is registered': mail the address's owner (in
    the owner's language)."""
    said = said_in(lang)
    message = Email(to=email, subject=said("svc_mail.signup_tried_subject"),
                    body=said("svc_mail.signup_tried_body", url=f"{get_settings().public_url}/login"))
    try:
        mailer_from_settings().send(message)
    except Exception:  # a mail failure must not change the answer (or its timing much)
        log.exception("could not send the sign-up notice")


def _new_user(form: CustomerRegistration, role: Role, password_hash: str) -> User:
    return User(email=form.email, full_name=form.full_name, phone=form.phone, password_hash=password_hash,
                role=role, address=form.address, pincode=form.pincode)


def _sign_up(session: Session, form: CustomerRegistration, role: Role, password_hash: str,
             profile: dict | None = None) -> SignupResult:
    """Create the unverified account and mail its link, or (email taken) mail the owner; the
    caller cannot tell which. A concurrent sign-up with the same email loses at the unique index
    and gets the same answer (its twin's owner is mailed by that twin's link)."""
    answer = SignupResult(email=form.email, message=msg("svc_account.signup_sent", email=form.email))
    owner = _owner(session, form.email)
    if owner is not None:
        lang = language_of(owner)
        session.rollback()
        _tell_owner(form.email, lang)
        return answer
    user = _new_user(form, role, password_hash)
    # The language the page was in when they signed up is their language from now on (their link
    # and first code arrive in it); English, or an API sign-up, leaves it unchosen.
    user.language = "" if i18n.current() == i18n.DEFAULT else i18n.current()
    session.add(user)
    try:
        session.flush()
        assert user.id is not None
        if profile is not None:
            session.add(ProfessionalProfile(user_id=user.id, **profile))
        audit.record(session=session, actor_id=user.id, action="user.register", target_type="user",
                     target_id=user.id, role=role.value, **({"service_id": profile["service_id"]} if profile else {}))
        verification.mail_link(session, user)
        session.commit()
    except IntegrityError:
        session.rollback()
    return answer


def register_customer(*, session: Session, actor: Actor | None, data: dict,
                      client_ip: str | None = None) -> SignupResult:
    """Sign up a customer: they are signed in by the link mailed to them (never before).

    `client_ip` (every web and API caller passes it) spends the address's sign-up budget first.
    """
    check_address(get_settings().signup_ip_limit, "signup-ip", client_ip, SIGNUP_BUSY)
    form = parse(CustomerRegistration, data)
    password_hash = hash_password(form.password, source=client_ip)  # before the database (slow on purpose)
    return _sign_up(session, form, Role.customer, password_hash)


def register_professional(*, session: Session, actor: Actor | None, data: dict,
                          client_ip: str | None = None) -> SignupResult:
    """Sign up a professional awaiting approval (and verification); they can look around, not work."""
    check_address(get_settings().signup_ip_limit, "signup-ip", client_ip, SIGNUP_BUSY)
    form = parse(ProfessionalRegistration, data)
    password_hash = hash_password(form.password, source=client_ip)
    service = session.get(Service, form.service_id)
    if service is None or not service.is_active:
        raise ValidationFailed({"service_id": msg("svc_booking.choose_service")})
    return _sign_up(session, form, Role.professional, password_hash,
                    profile={"service_id": form.service_id, "experience_years": form.experience_years,
                             "bio": form.bio})


def logout(*, session: Session, token: str) -> None:
    """Revoke this browser's session only."""
    sessions.revoke_token(session=session, token=token)
    session.commit()


def change_password(*, session: Session, actor: Actor | None, data: dict) -> str:
    """Verify the current password, set the new one, end every session, return a fresh token."""
    actor = require_actor(actor)
    form = parse(PasswordChange, data)
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound("account")
    session.commit()  # no lock held during the two bcrypt operations below
    wait = throttle.wait(CHANGE_FAILURES, "password-change", str(actor.id))
    if wait > 0:
        raise ValidationFailed({"current_password": msg("svc_account.too_many_tries", wait=throttle.in_words(wait))})
    if not verify_password(form.current_password, user.password_hash):
        throttle.hit(CHANGE_FAILURES, "password-change", str(actor.id))
        raise ValidationFailed({"current_password": msg("svc_account.current_password_wrong")})
    if form.new_password == form.current_password:
        raise ValidationFailed({"new_password": msg("svc_account.password_same")})
    new_hash = hash_password(form.new_password)
    user = session.get(User, actor.id)
    assert user is not None
    user.password_hash = new_hash
    user.updated_at = utcnow()
    session.add(user)
    sessions.revoke_all(session=session, user_id=actor.id)
    token = sessions.issue_session(session=session, user_id=actor.id)
    audit.record(session=session, actor_id=actor.id, action="user.password_changed",
                 target_type="user", target_id=actor.id)
    session.commit()
    return token


def get_profile(*, session: Session, actor: Actor | None) -> ProfileView:
    """The actor's own profile (there is no way to ask for someone else's here)."""
    actor = require_actor(actor)
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound("account")
    return _profile_view(session, user)


def update_profile(*, session: Session, actor: Actor | None, data: dict) -> ProfileView:
    """Edit own contact details; professionals may also edit experience and bio."""
    actor = require_actor(actor)
    form = parse(ProfileUpdate, data)
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound("account")
    if verification.phone_taken(session, form.phone, except_id=user.id):
        raise ValidationFailed({"phone": PHONE_TAKEN})
    if form.phone != user.phone:
        user.phone_verified_at = None  # a new number is proven by a new code before the next booking
    user.sqlmodel_update(form.model_dump(include={"full_name", "phone", "address", "pincode"}))
    user.updated_at = utcnow()
    session.add(user)
    try:
        session.flush()  # a number taken by a concurrent edit or sign-up fails here, on the unique index
    except IntegrityError as exc:
        session.rollback()
        raise ValidationFailed({"phone": PHONE_TAKEN}) from exc
    if user.role is Role.professional:
        profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user.id)).one()
        if form.experience_years is not None:
            profile.experience_years = form.experience_years
        if form.bio is not None:
            profile.bio = form.bio
        session.add(profile)
    session.commit()
    return _profile_view(session, user)


def _profile_view(session: Session, user: User) -> ProfileView:
    assert user.id is not None
    base = dict(id=user.id, full_name=user.full_name, email=user.email, phone=user.phone,
                address=user.address, pincode=user.pincode, locality=locality(user.pincode),
                role=user.role.value)
    if user.role is not Role.professional:
        return ProfileView(**base)
    row = session.exec(
        select(ProfessionalProfile, Service)
        .join(Service, Service.id == ProfessionalProfile.service_id)  # type: ignore[arg-type]
        .where(ProfessionalProfile.user_id == user.id)
    ).one()
    profile, service = row
    return ProfileView(**base, service_id=service.id, service_name=service.name,
                       experience_years=profile.experience_years, bio=profile.bio,
                       approval_status=profile.approval_status.value,
                       approval_reason=profile.approval_reason, document_name=profile.doc_original_name or "",
                       document_uploaded=local_label(profile.doc_uploaded_at) if profile.doc_uploaded_at else "")


def create_admin(*, session: Session, email: str, full_name: str, password: str,
                 phone: str = "+919000000000", pincode: str = "110001") -> int:
    """Operator-only (CLI): there is no admin self-registration anywhere in the UI or API."""
    form = parse(CustomerRegistration, dict(full_name=full_name, email=email, phone=phone,
                                             password=password, address="Head office", pincode=pincode))
    # The operator at the console is told exactly what clashes (no one is probing here).
    if _email_taken(session, form.email):
        raise ValidationFailed({"email": msg("svc_account.email_exists")})
    if verification.phone_taken(session, form.phone):
        raise ValidationFailed({"phone": PHONE_TAKEN})
    user = _new_user(form, Role.admin, hash_password(form.password))
    user.email_verified_at = user.phone_verified_at = utcnow()  # the operator at the console vouches
    session.add(user)
    session.flush()
    audit.record(session=session, actor_id=None, action="admin.created", target_type="user",
                 target_id=user.id, via="cli")
    session.commit()
    assert user.id is not None
    return user.id


__all__ = ["PHONE_TAKEN", "SENT", "change_password", "create_admin", "get_profile", "logout",
           "register_customer", "register_professional", "update_profile"]
