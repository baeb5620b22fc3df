"""Forgot password: a mailed single-use link (30 minutes) to choose a new one.

Why each rule: the request answers the same whether or not the email has an account (no
enumeration); it is throttled per address asked for and per client (HSA_RESET_REQUEST_LIMIT),
so nobody can flood a person's inbox; the link is hashed at rest, good once, and voided by a
newer one or by a changed email (`account_links`); using it ends every session, because a
reset is what someone does when they think another person has their password.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session, select

from hsa import routes
from hsa.i18n.text import msg
from hsa.models import TokenPurpose, User, UserStatus, utcnow
from hsa.services import account_links, audit, sessions, throttle
from hsa.services.errors import ValidationFailed
from hsa.services.languages import language_of
from hsa.services.mail import Email, mailer_from_settings
from hsa.services.mail_words import said_in
from hsa.services.passwords import hash_password, verify_password
from hsa.services.schemas import PasswordReset, parse
from hsa.services.signin import check_address, issue_device_token
from hsa.services.views import LoginResult
from hsa.settings import get_settings

log = logging.getLogger(__name__)

ASKED = ("If {email} belongs to a HomeServe account, we have sent it a link to choose a new password. "
         "The link works once, for 30 minutes.")
BUSY = "svc_account.reset_busy"  # catalog key; {wait}


def request_reset(*, session: Session, email: str, client_ip: str | None = None,
                  now: datetime | None = None) -> str:
    """Mail a reset link (in the account's language) when the email has a live account; the same
    sentence either way."""
    normalized = (email or "").strip().lower()[:254]
    if "@" not in normalized:
        raise ValidationFailed({"email": msg("svc_account.reset_email")})
    limit = get_settings().reset_request_limit
    check_address(limit, "reset-ip", client_ip, BUSY)
    answer = msg("svc_account.reset_asked", email=normalized)
    if throttle.take(limit, "reset-email", throttle.subject(normalized)) > 0:
        return answer  # this inbox has had enough mail for now; saying so would reveal the account
    user = session.exec(select(User).where(User.email == normalized)).first()
    if user is None or user.status is not UserStatus.active:
        session.rollback()
        return answer
    raw = account_links.issue(session, user, TokenPurpose.reset_password, now=now)
    audit.record(session=session, actor_id=None, action="user.reset_requested", target_type="user",
                 target_id=user.id, source=client_ip or "internal")
    session.commit()
    url = account_links.link(routes.RESET_PASSWORD, raw)
    try:
        said = said_in(language_of(user))
        mailer_from_settings().send(Email(to=user.email, subject=said("svc_mail.reset_subject"),
                                          body=said("svc_mail.reset_body", name=user.full_name, url=url)))
    except Exception:  # the answer must not change (or reveal the account) when mail fails
        log.exception("could not send the reset mail")
    return answer


def reset_password(*, session: Session, token: str, data: dict, now: datetime | None = None,
                   device: str = "") -> LoginResult:
    """Set the new password through the link: every other session ends, this browser signs in."""
    now = now or utcnow()
    form = parse(PasswordReset, data)
    new_hash = hash_password(form.new_password)  # before the transaction: no lock held while hashing
    try:
        user = account_links.redeem(session, token, TokenPurpose.reset_password, now=now)
    except account_links.LinkRefused as exc:
        session.rollback()
        raise ValidationFailed({"token": account_links.INVALID}, account_links.INVALID) from exc
    if verify_password(form.new_password, user.password_hash):
        session.rollback()  # the link stays usable: the person only has to choose another password
        raise ValidationFailed({"new_password": msg("svc_account.password_same_current")})
    assert user.id is not None
    user.password_hash = new_hash
    user.failed_login_count, user.locked_until = 0, None
    user.email_verified_at = user.email_verified_at or now  # the link reached the inbox: the address is theirs
    user.updated_at = now
    session.add(user)
    sessions.revoke_all(session=session, user_id=user.id, now=now)
    token_out = sessions.issue_session(session=session, user_id=user.id, now=now, device=device)
    audit.record(session=session, actor_id=user.id, action="user.password_reset", target_type="user",
                 target_id=user.id)
    session.commit()
    return LoginResult(token=token_out, user_id=user.id, role=user.role.value,
                       device_token=issue_device_token(user.id))


def link_is_open(*, session: Session, token: str, now: datetime | None = None) -> bool:
    """Does the page show the form, or "ask for a new link"? (read only; the form re-checks)."""
    return account_links.is_open(session, token, TokenPurpose.reset_password, now=now)


__all__ = ["ASKED", "link_is_open", "request_reset", "reset_password"]
