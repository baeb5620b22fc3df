"""Proving an account's email (a mailed link) and mobile number (a 6-digit SMS code).

Why: anyone could sign up with someone else's email or number. Now a sign-up mails a link and
the number is proven by a code; until both are proven a person can browse but not book or
accept a job (`Actor.verified`, checked by the booking service and the accept guard). A number
belongs to the one live account that proved it (`ux_users_phone_verified`), so an unproven
claim blocks nobody.

Codes: 6 digits from `secrets`, stored as an HMAC with the server's key (a million codes are
too few for a plain hash), 10 minutes, 5 wrong tries, newest only; sending is throttled per
account (HSA_CODE_SEND_LIMIT).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select, update

from hsa import routes
from hsa.i18n.text import msg
from hsa.models import PhoneCode, TokenPurpose, User, UserStatus, utcnow
from hsa.services import account_links, audit, sessions, throttle
from hsa.services.actors import Actor
from hsa.services.errors import DomainError, NotFound, ValidationFailed
from hsa.services.languages import language_of
from hsa.services.mail import Email, mailer_from_settings
from hsa.services.mail_words import said_in
from hsa.services.permissions import require_actor
from hsa.services.signin import issue_device_token
from hsa.services.sms import Sms, outbox, sender_from_settings
from hsa.services.views import LoginResult
from hsa.settings import get_settings

log = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
CODE_TRIES = 5
PHONE_TAKEN = msg("svc_account.phone_taken")


@dataclass(frozen=True)
class VerificationView:
    """What the Verify page shows: the person's own address and number, never anyone else's."""

    email: str
    email_verified: bool
    phone: str
    phone_verified: bool
    code_sent: bool  # a code is out and still usable: show the "enter the code" field

    @property
    def done(self) -> bool:
        return self.email_verified and self.phone_verified


# ---------------------------------------------------------------- email


def mail_link(session: Session, user: User, *, now: datetime | None = None) -> None:
    """Mail a fresh verification link (in the caller's transaction: commit, then it counts), in
    the person's saved language."""
    raw = account_links.issue(session, user, TokenPurpose.verify_email, now=now)
    url = account_links.link(routes.VERIFY_EMAIL, raw)
    said = said_in(language_of(user))
    _send_mail(Email(to=user.email, subject=said("svc_mail.confirm_subject"),
                     body=said("svc_mail.confirm_body", name=user.full_name, url=url)))


def send_email_link(*, session: Session, actor: Actor | None, now: datetime | None = None) -> str:
    """"Send the link again", throttled per account; returns the sentence to show."""
    actor = require_actor(actor)
    user = _user(session, actor)
    if user.email_verified_at is not None:
        return msg("svc_account.email_already_confirmed")
    wait = throttle.take(get_settings().email_link_limit, "email-link", str(actor.id))
    if wait > 0:
        raise ValidationFailed({"email": msg("svc_account.link_just_sent", wait=throttle.in_words(wait))})
    mail_link(session, user, now=now)
    session.commit()
    return msg("svc_account.link_sent", email=user.email)


def email_link_is_open(*, session: Session, token: str, now: datetime | None = None) -> bool:
    """Whether the mailed link would still work; it is only used by the page's button, because
    mail scanners and link previews open links (a visit must not spend it or sign them in)."""
    return account_links.is_open(session, token, TokenPurpose.verify_email, now=now or utcnow())


def confirm_email(*, session: Session, token: str, now: datetime | None = None,
                  device: str = "") -> LoginResult:
    """Open the mailed link: the address is proven and this browser is signed in."""
    now = now or utcnow()
    try:
        user = account_links.redeem(session, token, TokenPurpose.verify_email, now=now)
    except account_links.LinkRefused as exc:
        session.rollback()
        raise DomainError(account_links.INVALID) from exc
    assert user.id is not None
    if user.email_verified_at is None:
        user.email_verified_at = now
        user.updated_at = now
        session.add(user)
        audit.record(session=session, actor_id=user.id, action="user.email_verified", target_type="user",
                     target_id=user.id)
    token_out = sessions.issue_session(session=session, user_id=user.id, now=now, device=device)
    session.commit()
    return LoginResult(token=token_out, user_id=user.id, role=user.role.value,
                       device_token=issue_device_token(user.id))


# ---------------------------------------------------------------- phone


def _code_hash(user_id: int, phone: str, code: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"otp:{user_id}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def phone_taken(session: Session, phone: str, *, except_id: int | None = None) -> bool:
    """Has another live account proven this E.164 number (the unique index's rule)?"""
    query = select(User.id).where(User.phone == phone, User.status != UserStatus.deleted,
                                  col(User.phone_verified_at).is_not(None))
    if except_id is not None:
        query = query.where(User.id != except_id)
    return session.exec(query).first() is not None


def send_code(*, session: Session, actor: Actor | None, now: datetime | None = None) -> str:
    """Text a new 6-digit code to the account's number (the old one stops working)."""
    actor = require_actor(actor)
    now = now or utcnow()
    user = _user(session, actor)
    if user.phone_verified_at is not None:
        return msg("svc_account.phone_already_verified")
    if phone_taken(session, user.phone, except_id=user.id):
        raise ValidationFailed({"code": PHONE_TAKEN}, PHONE_TAKEN)
    wait = throttle.take(get_settings().code_send_limit, "otp-send", str(actor.id))
    if wait > 0:
        raise ValidationFailed({"code": msg("svc_account.code_wait", wait=throttle.in_words(wait))})
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    assert user.id is not None
    session.exec(update(PhoneCode).where(PhoneCode.user_id == user.id,  # type: ignore[call-overload]
                                         col(PhoneCode.used_at).is_(None)).values(used_at=now))
    session.add(PhoneCode(user_id=user.id, phone=user.phone, code_hash=_code_hash(user.id, user.phone, code),
                          created_at=now, expires_at=now + CODE_LIFETIME))
    session.commit()
    text = said_in(language_of(user))("svc_mail.sms_code", code=code)  # in the person's language
    try:
        sender_from_settings().send(Sms(to=user.phone, body=text))
    except Exception as exc:
        log.exception("could not send the SMS code")
        raise DomainError(msg("svc_account.sms_failed")) from exc
    return msg("svc_account.code_sent", phone=masked(user.phone))


def confirm_code(*, session: Session, actor: Actor | None, data: dict, now: datetime | None = None) -> str:
    """Check a typed code against the newest one; five wrong tries use it up."""
    actor = require_actor(actor)
    now = now or utcnow()
    code = "".join(ch for ch in str(data.get("code", ""))[:20] if ch.isdigit())
    if len(code) != CODE_DIGITS:
        raise ValidationFailed({"code": msg("svc_account.code_enter")})
    user = _user(session, actor)
    if user.phone_verified_at is not None:
        return msg("svc_account.phone_already_verified")
    row = _live_code(session, user.id or 0, now)
    if row is None or row.phone != user.phone:
        raise ValidationFailed({"code": msg("svc_account.code_expired")})
    if row.attempts >= CODE_TRIES:
        raise ValidationFailed({"code": msg("svc_account.code_too_many")})
    if not hmac.compare_digest(row.code_hash, _code_hash(user.id or 0, user.phone, code)):
        row.attempts += 1
        session.add(row)
        session.commit()
        left = CODE_TRIES - row.attempts
        raise ValidationFailed({"code": msg("svc_account.code_wrong_left", count=left) if left > 1 else
                                msg("svc_account.code_wrong_one") if left else msg("svc_account.code_wrong_last")})
    row.used_at = now
    user.phone_verified_at = now
    user.updated_at = now
    session.add_all([row, user])
    audit.record(session=session, actor_id=user.id, action="user.phone_verified", target_type="user",
                 target_id=user.id)
    try:
        session.commit()
    except IntegrityError as exc:  # another account proved the number a moment ago
        session.rollback()
        raise ValidationFailed({"code": PHONE_TAKEN}, PHONE_TAKEN) from exc
    return msg("svc_account.phone_verified")


def _live_code(session: Session, user_id: int, now: datetime) -> PhoneCode | None:
    return session.exec(select(PhoneCode).where(PhoneCode.user_id == user_id, col(PhoneCode.used_at).is_(None),
                                                PhoneCode.expires_at > now)
                        .order_by(col(PhoneCode.id).desc())).first()


def status(*, session: Session, actor: Actor | None, now: datetime | None = None) -> VerificationView:
    actor = require_actor(actor)
    user = _user(session, actor)
    live = _live_code(session, actor.id, now or utcnow())
    return VerificationView(email=user.email, email_verified=user.email_verified_at is not None,
                            phone=user.phone, phone_verified=user.phone_verified_at is not None,
                            code_sent=live is not None and live.attempts < CODE_TRIES)


def purge_codes(session: Session, *, now: datetime) -> int:
    """The retention pass: codes a day past their 10 minutes go, with the texts in the SMS outbox."""
    result = session.exec(delete(PhoneCode).where(col(PhoneCode.expires_at) < now - timedelta(days=1)))  # type: ignore[call-overload]
    outbox().prune(now=now)
    return result.rowcount or 0


def masked(phone: str) -> str:
    """+919876543210 -> +91 ••••••3210: enough for the owner to recognise it."""
    return f"{phone[:3]} ••••••{phone[-4:]}" if len(phone) > 7 else msg("svc_account.your_number")


def _user(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound("account")
    return user


def _send_mail(message: Email) -> None:
    try:
        mailer_from_settings().send(message)
    except Exception:  # the person can press "send again"; the answer must not change
        log.exception("could not send the verification mail")


__all__ = ["CODE_TRIES", "PHONE_TAKEN", "VerificationView", "confirm_code",
           "confirm_email", "mail_link", "masked", "phone_taken", "purge_codes", "send_code",
           "send_email_link", "status"]
