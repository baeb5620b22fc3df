"""Signing in without handing attackers a lock on someone else's account.

What this replaces: 5 wrong passwords locked the account for 15 minutes, for everyone, renewable
forever — anyone could keep the only admin out. What it does now (OWASP ASVS 5.0 §6.3.1–6.3.2,
NIST SP 800-63B §5.2.2, OWASP "slow down online guessing with device cookies"):

- Every attempt first takes one unit from its address's budget (`HSA_LOGIN_IP_LIMIT`, 30 a
  minute by default). Over budget, nothing is hashed: a flood costs a counter, not a core.
- Failures count per (account, address) in growing windows (`PAIR_FAILURES`): after 5 the
  source waits a minute, after 10 a quarter hour, after 20 an hour, after 50 a day. Only that
  source is slowed; the owner elsewhere signs in as usual.
- Against a spread-out attack, untrusted sources together get `ACCOUNT_FAILURES` (100 a day,
  NIST's ceiling) per account; past it only a **trusted device** may try.
- A trusted device is a browser (or API client) that signed in to this account before: it holds
  a signed device token (`device_token`). Its attempts skip the address and account budgets and
  have their own (`DEVICE_FAILURES`), so the real owner gets in during an attack.
- Counts are keyed by the typed email whether or not an account has it, and refusals never hash,
  so neither the answers nor their timing say whether an email is registered.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime

from sqlmodel import Session, select

from hsa.i18n.text import msg
from hsa.models import User, UserStatus, utcnow
from hsa.observability.metrics import LOGIN_FAILURES, THROTTLED
from hsa.services import audit, sessions, throttle
from hsa.services.errors import AuthFailed, DomainError
from hsa.services.passwords import dummy_hash, verify_password
from hsa.services.views import LoginResult
from hsa.settings import get_settings

log = logging.getLogger(__name__)

PAIR_FAILURES = "5/minute;10/15 minutes;20/hour;50/day"
ACCOUNT_FAILURES = "100/day"
DEVICE_FAILURES = "10/15 minutes;30/day"


class Throttled(DomainError):
    """Refused before any password check; `retry_after` seconds until the next try can count."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1.0, retry_after)


def _refuse(scope: str, wait: float, message: str) -> Throttled:
    """`message` is a catalog key whose text names the wait as `{wait}` ("40 seconds", "15 minutes")."""
    THROTTLED.labels(scope=scope).inc()
    return Throttled(msg(message, wait=throttle.in_words(wait)), wait)


def check_address(spec: str, scope: str, client_ip: str | None, message: str) -> None:
    """Take one unit of this address's budget for `scope`, or refuse with `message` (a catalog key).

    `client_ip=None` is an in-process caller (CLI, tests of other rules): no address budget.
    """
    if client_ip is None:
        return
    wait = throttle.take(spec, scope, client_ip)
    if wait > 0:
        raise _refuse(scope, wait, message)


# -- trusted devices -----------------------------------------------------------------------------

def _device_signature(user_id: int, nonce: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"device:{user_id}.{nonce}".encode(), hashlib.sha256).hexdigest()[:32]


def issue_device_token(user_id: int) -> str:
    nonce = secrets.token_urlsafe(12)
    return f"{user_id}.{nonce}.{_device_signature(user_id, nonce)}"


def trusted_device(token: str, user_id: int | None) -> str | None:
    """The device's nonce when `token` was issued to this account, else None."""
    parts = (token or "").split(".")
    if user_id is None or len(parts) != 3 or parts[0] != str(user_id) or len(parts[1]) > 40:
        return None
    return parts[1] if hmac.compare_digest(parts[2], _device_signature(user_id, parts[1])) else None


# -- the check -----------------------------------------------------------------------------------

def login(*, session: Session, email: str, password: str, client_ip: str | None = None,
          device_token: str = "", now: datetime | None = None, device: str = "") -> LoginResult:
    """Check credentials under the budgets above; one message for unknown email and wrong password."""
    now = now or utcnow()
    normalized = (email or "").strip().lower()[:254]
    account = throttle.subject(normalized)
    check_address(get_settings().login_ip_limit, "login-ip", client_ip,
                  "svc_account.signin_busy")
    user = session.exec(select(User).where(User.email == normalized)).first()
    session.commit()  # end the read before the slow bcrypt check: no lock is held while hashing
    known = user is not None and user.status is not UserStatus.deleted
    device = trusted_device(device_token, user.id if known and user else None)
    source = client_ip or "internal"
    if device is not None:
        wait = throttle.wait(DEVICE_FAILURES, "login-device", device)
    else:
        wait = max(throttle.wait(PAIR_FAILURES, "login-pair", account, source),
                   throttle.wait(ACCOUNT_FAILURES, "login-account", account))
    if wait > 0:
        raise _refuse("login-account", wait, "svc_account.signin_account_busy")
    if not known or user is None:
        verify_password(password or "", dummy_hash(), source=client_ip)
        raise _failed(account, source, device, None)
    if not verify_password(password or "", user.password_hash, source=client_ip):
        raise _failed(account, source, device, user.id, session=session)
    if user.status is UserStatus.blocked:
        # Only someone who knows the password learns the account is blocked.
        raise AuthFailed(msg("svc_account.blocked"))
    assert user.id is not None
    throttle.clear(PAIR_FAILURES, "login-pair", account, source)
    token = sessions.issue_session(session=session, user_id=user.id, now=now, device=device)
    session.commit()
    return LoginResult(token=token, user_id=user.id, role=user.role.value,
                       device_token=device_token if device else issue_device_token(user.id))


def _failed(account: str, source: str, device: str | None, user_id: int | None, *,
            session: Session | None = None) -> AuthFailed:
    """Count a wrong password where it belongs; audit the moment a source gets slowed down."""
    LOGIN_FAILURES.inc()
    if device is not None:
        slowed = throttle.hit(DEVICE_FAILURES, "login-device", device) > 0
    else:
        slowed = throttle.hit(PAIR_FAILURES, "login-pair", account, source) > 0
        slowed = throttle.hit(ACCOUNT_FAILURES, "login-account", account) > 0 or slowed
    if slowed and session is not None and user_id is not None:
        audit.record(session=session, actor_id=None, action="user.login_throttled", target_type="user",
                     target_id=user_id, source=source if device is None else "trusted device")
        session.commit()
    return AuthFailed()
