"""Plain builder functions for test data (no factory library: explicit beats magic)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from hsa.models import (
    ApprovalStatus,
    Notification,
    Payment,
    PaymentMethod,
    ProfessionalProfile,
    RequestStatus,
    Role,
    Service,
    ServiceRequest,
    User,
    UserStatus,
    utcnow,
)
from hsa.services import sessions
from hsa.services.actors import Actor
from hsa.services.mail import Email
from hsa.services.money import postings
from hsa.services.money.pricing import amount_due, bill
from hsa.services.passwords import hash_password
from hsa.services.scheduling import IST

PASSWORD = "CorrectHorse9"
_seq = itertools.count(1)


@lru_cache(maxsize=1)
def password_hash() -> str:
    """Hash once per run: bcrypt at cost 12 takes ~0.25 s."""
    return hash_password(PASSWORD)


def make_service(session: Session, *, name: str | None = None, price_paise: int = 29_900,
                 minutes: int = 60, active: bool = True, translations: dict | None = None) -> Service:
    """`translations`: the admin's other-language texts, {"hi": {"name": ...}, ...}."""
    service = Service(name=name or f"Service {next(_seq)}", description="Test service",
                      base_price_paise=price_paise, duration_minutes=minutes, is_active=active,
                      translations=translations or {})
    session.add(service)
    session.commit()
    session.refresh(service)
    return service


def bookable_service(session: Session, **kw: object) -> Service:
    """`make_service` and one approved professional of it in 560034 who works the platform's hours:
    a booking there needs someone free to take it (issue #19)."""
    service = make_service(session, **kw)  # type: ignore[arg-type]
    make_user(session, role=Role.professional, service=service, full_name="Free Pro")
    return service


def make_user(session: Session, *, role: Role = Role.customer, email: str | None = None,
              full_name: str = "Test User", pincode: str = "560034",
              status: UserStatus = UserStatus.active, approval: ApprovalStatus = ApprovalStatus.approved,
              service: Service | None = None, verified: bool = True) -> User:
    n = next(_seq)
    proven = utcnow() if verified else None  # a settled account has proven its email and number (#17)
    user = User(email=email or f"user{n}@example.com", full_name=full_name, phone=f"+9170{n:08d}",
                password_hash=password_hash(), role=role, status=status, address="1 Test Street",
                pincode=pincode, email_verified_at=proven, phone_verified_at=proven)
    session.add(user)
    session.flush()
    if role is Role.professional:
        service = service or make_service(session)
        session.add(ProfessionalProfile(user_id=user.id, service_id=service.id, experience_years=3,
                                        approval_status=approval))
    session.commit()
    session.refresh(user)
    return user


def token_for(session: Session, user: User) -> str:
    """A live session token for `user`, as a login would issue."""
    assert user.id is not None
    token = sessions.issue_session(session=session, user_id=user.id)
    session.commit()
    return token


def actor_for(session: Session, user: User) -> Actor:
    """The Actor the app would resolve for this user's session."""
    actor = sessions.resolve_actor(session=session, token=token_for(session, user))
    assert actor is not None
    return actor


def slot(days: int = 1, hour: int = 10) -> datetime:
    """A bookable slot `days` from today at `hour`:00 IST, as aware UTC."""
    local = datetime.now(IST).replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=days)
    return local.astimezone(UTC)


def make_request(session: Session, *, customer: User, service: Service,
                 status: RequestStatus = RequestStatus.requested,
                 professional: User | None = None, preferred: User | None = None, paid: bool = False,
                 scheduled_at: datetime | None = None, pincode: str = "560034",
                 platform_fee_paise: int = 0) -> ServiceRequest:
    """A request already at `status`, with the timestamps that status implies."""
    now = utcnow()
    req = ServiceRequest(service_id=service.id, customer_id=customer.id, status=status,
                         scheduled_at=scheduled_at or slot(), address="1 Test Street, Koramangala",
                         pincode=pincode, price_paise=service.base_price_paise, platform_fee_paise=platform_fee_paise,
                         preferred_professional_id=preferred.id if preferred else None,
                         professional_id=professional.id if professional and status is not RequestStatus.requested
                         else None)
    order = [RequestStatus.assigned, RequestStatus.in_progress, RequestStatus.completed, RequestStatus.closed]
    stamps = ["assigned_at", "started_at", "completed_at", "closed_at"]
    if status in order:
        for name in stamps[: order.index(status) + 1]:
            setattr(req, name, now)
    if status is RequestStatus.cancelled:
        req.cancelled_at, req.cancel_reason, req.cancelled_by_id = now, "test", customer.id
    session.add(req)
    session.flush()
    if status in (RequestStatus.completed, RequestStatus.closed) and req.professional_id:
        postings.charge(session, req, bill(req), now=now)  # what completing it would have posted
    if paid:
        session.add(Payment(request_id=req.id, amount_paise=amount_due(req), method=PaymentMethod.upi, paid_at=now))
        postings.gateway_payment(session, req, amount_due(req), now=now)
    session.commit()
    session.refresh(req)
    return req


def small_ip_budget(monkeypatch: pytest.MonkeyPatch, variable: str, n: int = 3) -> int:
    """Shrink a per-address budget (HSA_LOGIN_IP_LIMIT, HSA_SIGNUP_IP_LIMIT) so a test spends it
    with a few bcrypt checks instead of thirty; the defaults are checked in tests/unit/test_settings.py."""
    monkeypatch.setenv(variable, f"{n}/minute")
    return n


def speaks(session: Session, user: User, language: str) -> User:
    """`user` has chosen `language` ("hi", "kn") on their account."""
    user.language = language
    session.add(user)
    session.commit()
    return user


def notes_of(session: Session, user: User) -> list[Notification]:
    """A user's notifications as committed now, oldest first."""
    session.expire_all()
    return list(session.exec(select(Notification).where(Notification.user_id == user.id)
                             .order_by(col(Notification.id))))


def fresh(session: Session, request: ServiceRequest | int) -> ServiceRequest:
    """The request as committed now (the test's copy forgotten)."""
    session.expire_all()
    row = session.get(ServiceRequest, request if isinstance(request, int) else request.id)
    assert row is not None
    return row


class Recorder:
    """A mailer that keeps what it was asked to send (and can be told to fail)."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[Email] = []
        self.fail = fail

    def send(self, message: Email) -> None:
        if self.fail:
            raise OSError("mail server down")
        self.sent.append(message)


def mailed(folder: Path, to: str) -> list[str]:
    """The plain-text bodies of the outbox mails to `to`, oldest first (decoded as a mail client does)."""
    import email
    import email.policy

    bodies = []
    for path in sorted((folder / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(("plain",))
        if message["To"] == to and body is not None:
            bodies.append(body.get_content())
    return bodies
